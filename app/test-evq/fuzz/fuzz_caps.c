/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_caps: libFuzzer target for the VERSION capabilities parser
 * (evq_vfu_caps_parse). The input is the JSON text as a peer would send
 * it. Besides "no crash, no out-of-bounds read", it checks the parser's
 * contract: on failure the output is untouched; on success the values are
 * what the formatter would write back, and formatting then parsing again
 * gives the same values (a round trip).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evq_vfio_user.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evq_vfu_caps caps, again;
	char *copy, out[512];
	int ret, n;

	/* an exact-size heap copy: ASan sees any read past the end */
	copy = malloc(size != 0 ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	memset(&caps, 0xa5, sizeof(caps));
	ret = evq_vfu_caps_parse(copy, size, &caps);
	free(copy);
	if (ret != 0) {
		struct evq_vfu_caps poison;

		memset(&poison, 0xa5, sizeof(poison));
		if (memcmp(&caps, &poison, sizeof(caps)) != 0)
			abort();	/* a failed parse wrote its output */
		return 0;
	}
	n = evq_vfu_caps_format(&caps, out, sizeof(out));
	if (n < 0)
		abort();
	if (evq_vfu_caps_parse(out, (size_t)n, &again) != 0 ||
			caps.max_msg_fds != again.max_msg_fds ||
			caps.max_data_xfer_size != again.max_data_xfer_size ||
			caps.max_dma_maps != again.max_dma_maps || caps.pgsizes != again.pgsizes)
		abort();	/* what we accept, we can also say back */
	return 0;
}
