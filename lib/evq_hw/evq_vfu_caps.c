/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_vfu_caps: the capabilities of a vfio-user connection, negotiated
 * with VERSION: their defaults, and the JSON text that carries them, read
 * with jansson (the grammar; JSON_REJECT_DUPLICATES) plus our own checks
 * (the accepted subset, nesting depth, size, the capabilities' types) and
 * written by a formatter.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "evq_vfio_user.h"

void
evq_vfu_caps_default(struct evq_vfu_caps *caps)
{
	caps->max_msg_fds = EVQ_VFU_DEFAULT_MAX_MSG_FDS;
	caps->max_data_xfer_size = EVQ_VFU_DEFAULT_MAX_XFER;
	caps->max_dma_maps = EVQ_VFU_DEFAULT_MAX_DMA_MAPS;
	caps->pgsizes = EVQ_VFU_DEFAULT_PGSIZES;
	caps->present = 0;
}

/* The capability keys we interpret: each is a non-negative integer.
 * Unknown keys are skipped (forward compatibility). In the order of the
 * EVQ_VFU_CAP_* bits (evq_vfu_caps_format_keys). */
static const char *const caps_keys[] = { "max_msg_fds", "max_data_xfer_size",
	"max_dma_maps", "pgsizes" };
#define CAPS_KEYS_COUNT (sizeof(caps_keys) / sizeof(caps_keys[0]))

/*
 * Our rules on top of jansson's grammar: only objects, strings, integers
 * and true/false (the subset the protocol uses: no arrays, reals or null),
 * nested at most EVQ_VFU_JSON_DEPTH objects deep. depth counts v itself.
 */
static int
caps_check_subset(json_t *v, int depth)
{
	const char *key;
	json_t *m;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (depth > EVQ_VFU_JSON_DEPTH)
			return -EINVAL;
		json_object_foreach(v, key, m) {
			if (caps_check_subset(m, depth + 1) != 0)
				return -EINVAL;
		}
		return 0;
	case JSON_STRING:
	case JSON_INTEGER:
	case JSON_TRUE:
	case JSON_FALSE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* The known capabilities of one "capabilities" object into caps. */
static int
caps_take(json_t *obj, struct evq_vfu_caps *caps)
{
	unsigned int k;

	for (k = 0; k < CAPS_KEYS_COUNT; k++) {
		json_t *v = json_object_get(obj, caps_keys[k]);
		json_int_t x;
		uint32_t v32;

		if (v == NULL)
			continue;	/* absent: the protocol default */
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return -EINVAL;
		x = json_integer_value(v);
		v32 = (uint64_t)x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
		switch (k) {
		case 0:
			caps->max_msg_fds = v32;
			break;
		case 1:
			caps->max_data_xfer_size = v32;
			break;
		case 2:
			caps->max_dma_maps = v32;
			break;
		default:
			caps->pgsizes = (uint64_t)x;
			break;
		}
		caps->present |= 1u << k;	/* the EVQ_VFU_CAP_* bit */
	}
	return 0;
}

int
evq_vfu_caps_parse(const char *json, size_t len, struct evq_vfu_caps *caps)
{
	struct evq_vfu_caps tmp;
	json_error_t err;
	json_t *root, *c;
	int ret = -EINVAL;

	evq_vfu_caps_default(&tmp);
	if (len == 0) {
		*caps = tmp;
		return 0;
	}
	if (json == NULL || len > EVQ_VFU_JSON_MAX || memchr(json, '\0', len) != NULL)
		return -EINVAL;
	/* duplicate keys anywhere are refused: which one would the peer mean? */
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		return -EINVAL;
	if (!json_is_object(root) || caps_check_subset(root, 1) != 0)
		goto out;
	c = json_object_get(root, "capabilities");
	if (c != NULL) {
		if (!json_is_object(c) || caps_take(c, &tmp) != 0)
			goto out;
	}
	*caps = tmp;
	ret = 0;
out:
	json_decref(root);
	return ret;
}

int
evq_vfu_caps_format_keys(const struct evq_vfu_caps *caps, uint32_t keys, char *buf,
		size_t size)
{
	const unsigned long long val[CAPS_KEYS_COUNT] = {
		caps->max_msg_fds, caps->max_data_xfer_size, caps->max_dma_maps,
		(unsigned long long)caps->pgsizes,
	};
	size_t len;
	unsigned int k;
	int n;

	n = snprintf(buf, size, "{\"capabilities\":{");
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	len = (size_t)n;
	for (k = 0; k < CAPS_KEYS_COUNT; k++) {
		if (!(keys & (1u << k)))
			continue;
		n = snprintf(buf + len, size - len, "%s\"%s\":%llu",
			buf[len - 1] == '{' ? "" : ",", caps_keys[k], val[k]);
		if (n < 0 || (size_t)n >= size - len)
			return -ENOSPC;
		len += (size_t)n;
	}
	n = snprintf(buf + len, size - len, "}}");
	if (n < 0 || (size_t)n >= size - len)
		return -ENOSPC;
	return (int)(len + (size_t)n);
}

int
evq_vfu_caps_format(const struct evq_vfu_caps *caps, char *buf, size_t size)
{
	return evq_vfu_caps_format_keys(caps, EVQ_VFU_CAP_ALL, buf, size);
}
