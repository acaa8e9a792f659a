/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_vfu_server: libFuzzer target for the vfio-user server as evq-sim
 * runs it: any byte stream, with and without file descriptors (memory
 * files, eventfds, character devices, pipes; format in fuzz_stream.h), is
 * written into a fresh connection of a real evq-sim port (fuzz_sim.h): the
 * framing, the request validation, the device-model callbacks and the
 * engine passes between messages. Seeds are recorded client sessions
 * (devtools/fuzz record). A writer thread sends, a reader thread drains
 * the replies, so no socket buffer can stall the server.
 */

#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_sim.h"
#include "fuzz_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_writer {
	int sock;
	const uint8_t *data;
	size_t size;
};

static void *
fuzz_writer_main(void *arg)
{
	struct fuzz_writer *w = arg;
	struct fuzz_record r;

	while (fuzz_record_next(&w->data, &w->size, &r) == 0) {
		struct pollfd p = { .fd = w->sock, .events = POLLOUT };
		int ret;

		while ((ret = fuzz_record_send(w->sock, &r)) == -EAGAIN)
			poll(&p, 1, -1);	/* the server reads: room comes */
		if (ret != 0)
			break;			/* the server closed */
	}
	shutdown(w->sock, SHUT_WR);
	return NULL;
}

static void *
fuzz_reader_main(void *arg)
{
	fuzz_drain(*(int *)arg, 0);
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_writer w;
	pthread_t wt, rt;
	int sv[2];

	fuzz_sim_port();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	w.sock = sv[1];
	w.data = data;
	w.size = size;
	if (pthread_create(&wt, NULL, fuzz_writer_main, &w) != 0 ||
			pthread_create(&rt, NULL, fuzz_reader_main, &sv[1]) != 0)
		abort();
	fuzz_sim_serve(sv[0]);		/* closes sv[0] */
	pthread_join(wt, NULL);
	pthread_join(rt, NULL);
	close(sv[1]);
	return 0;
}
