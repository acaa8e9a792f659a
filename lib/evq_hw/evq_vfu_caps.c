/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_vfu_caps: the capabilities of a vfio-user connection, negotiated
 * with VERSION: their defaults, and the JSON text that carries them, read
 * by a small strict parser (unknown keys, duplicates, deep nesting and
 * out-of-range numbers are refused) and written by a formatter.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct json {
	const char *s;
	size_t len, pos;
	int depth;
};

static void
json_ws(struct json *j)
{
	while (j->pos < j->len && (j->s[j->pos] == ' ' || j->s[j->pos] == '\t' ||
			j->s[j->pos] == '\n' || j->s[j->pos] == '\r'))
		j->pos++;
}

static int
json_string(struct json *j, char *out, size_t outsz)
{
	size_t n = 0;

	json_ws(j);
	if (j->pos >= j->len || j->s[j->pos] != '"')
		return -EINVAL;
	j->pos++;
	while (j->pos < j->len && j->s[j->pos] != '"') {
		char c = j->s[j->pos++];

		if ((unsigned char)c < 0x20)
			return -EINVAL;
		if (c == '\\') {
			if (j->pos >= j->len)
				return -EINVAL;
			c = j->s[j->pos++];
			if (strchr("\"\\/bfnrt", c) == NULL)
				return -EINVAL;
		}
		if (out != NULL && n + 1 < outsz)
			out[n++] = c;
	}
	if (j->pos >= j->len)
		return -EINVAL;
	j->pos++;
	if (out != NULL)
		out[n] = '\0';
	return 0;
}

static int
json_int(struct json *j, int64_t *v, bool *neg)
{
	uint64_t x = 0;
	bool any = false;

	json_ws(j);
	*neg = false;
	if (j->pos < j->len && j->s[j->pos] == '-') {
		*neg = true;
		j->pos++;
	}
	while (j->pos < j->len && j->s[j->pos] >= '0' && j->s[j->pos] <= '9') {
		unsigned d = (unsigned)(j->s[j->pos++] - '0');

		if (x > (UINT64_MAX - d) / 10)
			x = UINT64_MAX;	/* saturate */
		else
			x = x * 10 + d;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*v = x > INT64_MAX ? INT64_MAX : (int64_t)x;
	return 0;
}

static int json_value(struct json *j, struct evq_vfu_caps *caps, bool in_caps,
		const char *key);

/* The capability keys we interpret: each must appear at most once and be a
 * non-negative integer. Unknown keys are skipped (forward compatibility).
 * In the order of the EVQ_VFU_CAP_* bits (evq_vfu_caps_format_keys). */
static const char *const caps_keys[] = { "max_msg_fds", "max_data_xfer_size",
	"max_dma_maps", "pgsizes" };
#define CAPS_KEYS_COUNT (sizeof(caps_keys) / sizeof(caps_keys[0]))
#define SEEN_CAPS_OBJECT (1u << 31)

static bool
is_caps_key(const char *key)
{
	unsigned int k;

	for (k = 0; k < CAPS_KEYS_COUNT; k++)
		if (strcmp(key, caps_keys[k]) == 0)
			return true;
	return false;
}

static int
json_object(struct json *j, struct evq_vfu_caps *caps, bool is_caps, unsigned *seen)
{
	json_ws(j);
	if (j->pos >= j->len || j->s[j->pos] != '{')
		return -EINVAL;
	if (++j->depth > EVQ_VFU_JSON_DEPTH)
		return -EINVAL;
	j->pos++;
	json_ws(j);
	if (j->pos < j->len && j->s[j->pos] == '}') {
		j->pos++;
		j->depth--;
		return 0;
	}
	for (;;) {
		char key[64];
		int ret;

		if (json_string(j, key, sizeof(key)) != 0)
			return -EINVAL;
		json_ws(j);
		if (j->pos >= j->len || j->s[j->pos] != ':')
			return -EINVAL;
		j->pos++;
		if (is_caps) {
			unsigned int k;

			for (k = 0; k < CAPS_KEYS_COUNT; k++) {
				if (strcmp(key, caps_keys[k]) == 0) {
					if (*seen & (1u << k))
						return -EINVAL;
					*seen |= 1u << k;
				}
			}
		} else if (j->depth == 1 && strcmp(key, "capabilities") == 0) {
			/* two capability objects: which one would the peer mean? */
			if (*seen & SEEN_CAPS_OBJECT)
				return -EINVAL;
			*seen |= SEEN_CAPS_OBJECT;
		}
		ret = json_value(j, caps, is_caps, key);
		if (ret != 0)
			return ret;
		json_ws(j);
		if (j->pos < j->len && j->s[j->pos] == ',') {
			j->pos++;
			continue;
		}
		if (j->pos < j->len && j->s[j->pos] == '}') {
			j->pos++;
			j->depth--;
			return 0;
		}
		return -EINVAL;
	}
}

static int
json_value(struct json *j, struct evq_vfu_caps *caps, bool in_caps, const char *key)
{
	unsigned int seen = 0;
	int64_t v;
	bool neg;

	json_ws(j);
	if (j->pos >= j->len)
		return -EINVAL;
	/* a known capability is a number, nothing else */
	if (in_caps && is_caps_key(key) && j->s[j->pos] != '-' &&
			(j->s[j->pos] < '0' || j->s[j->pos] > '9'))
		return -EINVAL;
	switch (j->s[j->pos]) {
	case '{':
		return json_object(j, caps, !in_caps && j->depth == 1 &&
				strcmp(key, "capabilities") == 0, &seen);
	case '"':
		return json_string(j, NULL, 0);
	case 't':
		if (j->len - j->pos >= 4 && memcmp(j->s + j->pos, "true", 4) == 0) {
			j->pos += 4;
			return 0;
		}
		return -EINVAL;
	case 'f':
		if (j->len - j->pos >= 5 && memcmp(j->s + j->pos, "false", 5) == 0) {
			j->pos += 5;
			return 0;
		}
		return -EINVAL;
	default:
		if (json_int(j, &v, &neg) != 0)
			return -EINVAL;
		if (!in_caps)
			return 0;
		if (is_caps_key(key)) {
			uint32_t v32;

			if (neg)
				return -EINVAL;
			v32 = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			if (strcmp(key, "max_msg_fds") == 0) {
				caps->max_msg_fds = v32;
				caps->present |= EVQ_VFU_CAP_MAX_MSG_FDS;
			} else if (strcmp(key, "max_data_xfer_size") == 0) {
				caps->max_data_xfer_size = v32;
				caps->present |= EVQ_VFU_CAP_MAX_XFER;
			} else if (strcmp(key, "max_dma_maps") == 0) {
				caps->max_dma_maps = v32;
				caps->present |= EVQ_VFU_CAP_MAX_DMA_MAPS;
			} else {
				caps->pgsizes = (uint64_t)v;
				caps->present |= EVQ_VFU_CAP_PGSIZES;
			}
		}
		return 0;
	}
}

int
evq_vfu_caps_parse(const char *json, size_t len, struct evq_vfu_caps *caps)
{
	struct evq_vfu_caps tmp;
	struct json j = { json, len, 0, 0 };
	unsigned int seen = 0;

	evq_vfu_caps_default(&tmp);
	if (len == 0) {
		*caps = tmp;
		return 0;
	}
	if (json == NULL || len > EVQ_VFU_JSON_MAX || memchr(json, '\0', len) != NULL)
		return -EINVAL;
	if (json_object(&j, &tmp, false, &seen) != 0)
		return -EINVAL;
	json_ws(&j);
	if (j.pos != j.len)
		return -EINVAL;
	*caps = tmp;
	return 0;
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
