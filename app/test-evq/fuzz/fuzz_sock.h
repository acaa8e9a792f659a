/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_sock.h: one thread runs both ends of a vfio-user connection in the
 * socket-based fuzz targets (fuzz-vfu-server, fuzz-vfu-client,
 * fuzz-sim-device), so that no input needs a thread, a thread switch per
 * message or a wait.
 *
 * A pair is made by socketpair() as before, and the production code reads
 * and writes it with its usual calls. Two things are added (fuzz_sock.c;
 * the targets are linked with --wrap=sendmsg,recvmsg,poll,shutdown,close):
 *
 * - the other end's turn: an end may name a "peer" function. When that end
 *   would wait (poll() or recvmsg() find nothing to read), the peer runs
 *   first, in this thread: the fake server answers the client's request,
 *   the device model handles the driver's message, the writer sends more
 *   of the input. If the peer produced nothing, nothing can come (no other
 *   thread holds the pair): poll() reports the timeout at once instead of
 *   waiting for it.
 *
 * - in memory (most inputs): the bytes and fds written to one end are kept
 *   in a queue in this process instead of the kernel's socket buffer, with
 *   the kernel's stream rules (a read stops after the segment whose fds it
 *   took; fds beyond the reader's control buffer are closed and MSG_CTRUNC
 *   set; EOF after close or shutdown). This saves the system calls, which
 *   are most of the cost of a message. Inputs whose hash is a multiple of
 *   FUZZ_SOCK_REAL_EVERY, and all inputs with EVQ_FUZZ_REAL_SOCKETS=1, go
 *   through the kernel's socket instead, so the real system calls stay
 *   covered.
 */

#ifndef EVQ_FUZZ_SOCK_H
#define EVQ_FUZZ_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* one input in this many uses the kernel's socket */
#define FUZZ_SOCK_REAL_EVERY	16

/* Whether this input goes through the kernel's socket (see above). */
bool
fuzz_sock_use_real(const uint8_t *data, size_t size);

/*
 * A connected AF_UNIX stream pair (close-on-exec) in sv; in memory unless
 * real. One pair at a time. The pair is forgotten when both ends are
 * closed. Aborts on failure.
 */
void
fuzz_sock_pair(int sv[2], bool real);

/* When end fd would wait for input, run peer(arg) first (NULL: none). */
void
fuzz_sock_set_peer(int fd, void (*peer)(void *arg), void *arg);

/*
 * In memory, what the other end writes to end fd is dropped at once (any
 * fds closed), as by a reader that drops everything it reads. A real
 * socket has to be drained by reading (the peer function can).
 */
void
fuzz_sock_discard(int fd);

#endif /* EVQ_FUZZ_SOCK_H */
