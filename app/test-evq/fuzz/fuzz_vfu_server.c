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
 * (devtools/fuzz record). One thread does it all (fuzz_sock.h): the
 * records are written while the socket takes them, and whenever the
 * server would wait for more, the client's turn writes more and drops
 * the replies; most inputs go through an in-memory socket, one in
 * FUZZ_SOCK_REAL_EVERY through the kernel's.
 */

#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_sim.h"
#include "fuzz_sock.h"
#include "fuzz_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the client side: the input's records, the one being sent */
struct fuzz_writer {
	int sock;
	const uint8_t *data;
	size_t size;
	struct fuzz_record rec;
	size_t done;		/* bytes of rec sent */
	bool have_rec;
	bool finished;		/* all sent (or the server closed): write side shut */
};

/* The client's turn: drop the replies, send what the socket takes. */
static void
fuzz_client_turn(void *arg)
{
	struct fuzz_writer *w = arg;

	fuzz_drain(w->sock, MSG_DONTWAIT);
	while (!w->finished) {
		int ret;

		if (!w->have_rec) {
			if (fuzz_record_next(&w->data, &w->size, &w->rec) != 0) {
				shutdown(w->sock, SHUT_WR);
				w->finished = true;
				break;
			}
			w->have_rec = true;
			w->done = 0;
		}
		ret = fuzz_record_send(w->sock, &w->rec, &w->done);
		if (ret == -EAGAIN)
			return;		/* full: the server reads, then waits again */
		w->have_rec = false;
		if (ret != 0) {		/* the server closed */
			shutdown(w->sock, SHUT_WR);
			w->finished = true;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_writer w = { .data = data, .size = size };
	int sv[2];

	fuzz_sim_port();
	fuzz_sock_pair(sv, fuzz_sock_use_real(data, size));
	w.sock = sv[1];
	fuzz_sock_discard(sv[1]);
	if (fuzz_sim_connect(sv[0]) != 0)
		abort();
	fuzz_sock_set_peer(sv[0], fuzz_client_turn, &w);
	fuzz_client_turn(&w);
	fuzz_sim_serve_all();		/* closes sv[0] */
	fuzz_drain(sv[1], MSG_DONTWAIT);
	close(sv[1]);
	return 0;
}
