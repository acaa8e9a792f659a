/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_sim: the evq-sim port used by the device-model fuzz targets (see
 * fuzz_sim.h): set-up as evq-sim's main() does it for one port with the
 * loop wire, and the serve loop of evq-sim's control thread for one
 * connection, with engine passes before each message is handled; the
 * loop can also run a step at a time, as the peer of a fuzz_sock pair.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_sim.h"

static struct sim_port *fuzz_port;
static struct sim_engine fuzz_engine;
static char fuzz_sock_dir[] = "/tmp/evq-fuzz.XXXXXX";
static char fuzz_sock_path[64];

static void
fuzz_sim_cleanup(void)
{
	sim_ctrl_stop();
	rmdir(fuzz_sock_dir);
}

struct sim_engine *
fuzz_sim_engine(void)
{
	return &fuzz_engine;
}

struct sim_port *
fuzz_sim_port(void)
{
	struct sim_port *port;

	if (fuzz_port != NULL)
		return fuzz_port;
	/* one log hook (lib/evq_hw): the device's lines and the ring's */
	evq_ring_set_log(evq_log_ring_msg);
	evq_log_set_level(getenv("EVQ_FUZZ_VERBOSE") != NULL ? EVQ_LOG_DEBUG : 0);
	sim_opts.nb_ports = 1;
	sim_opts.wire.kind = SIM_WIRE_LOOP;
	port = sim_zalloc(sizeof(*port));
	if (port == NULL || sim_engine_init(&fuzz_engine) != 0 ||
			mkdtemp(fuzz_sock_dir) == NULL)
		abort();
	snprintf(fuzz_sock_path, sizeof(fuzz_sock_path), "%s/evq0.sock", fuzz_sock_dir);
	port->dma = calloc(1, sizeof(*port->dma));
	port->toeplitz = sim_zalloc(sizeof(*port->toeplitz));
	if (port->dma == NULL || port->toeplitz == NULL)
		abort();
	port->socket_path = fuzz_sock_path;
	port->eng = &fuzz_engine;
	port->wire_conf = &sim_opts.wire;
	port->wire = sim_wire_ops_get(sim_opts.wire.kind);
	sim_port_init(port, 0);
	fuzz_engine.ports[fuzz_engine.nb_ports++] = port;
	if (port->wire->open(port, &sim_opts.wire) != 0 ||
			sim_ctrl_init(port, 1, &fuzz_engine) != 0)
		abort();
	atexit(fuzz_sim_cleanup);
	fuzz_port = port;
	return port;
}

int
fuzz_sim_connect(int fd)
{
	if (sim_ctrl_connect(fuzz_sim_port(), fd) != 0) {
		close(fd);
		return -1;
	}
	return 0;
}

bool
fuzz_sim_serve_ready(void)
{
	struct sim_port *port = fuzz_sim_port();

	while (port->connected) {
		struct pollfd p = { .fd = port->conn.fd, .events = POLLIN };
		int ret = poll(&p, 1, 0);

		if (ret < 0 && errno == EINTR)
			continue;
		if (ret == 0)
			return true;	/* nothing more for now */
		/* the client waits for the reply, so nothing races */
		sim_engine_run_once(&fuzz_engine, NULL);
		sim_engine_run_once(&fuzz_engine, NULL);
		ret = ret < 0 ? -errno : evq_vfu_server_handle(&port->conn);
		if (ret != 0 && ret != -EAGAIN)
			sim_ctrl_disconnect(port);
	}
	return false;
}

void
fuzz_sim_serve_all(void)
{
	struct sim_port *port = fuzz_sim_port();

	while (port->connected) {
		struct pollfd p = { .fd = port->conn.fd, .events = POLLIN };
		/* with fuzz_sock, a wait first gives the client its turn; 0
		 * then means the client can send nothing more (the server
		 * would wait forever): the connection ends */
		int ret = poll(&p, 1, -1);

		if (ret == 0 || (ret < 0 && errno != EINTR))
			sim_ctrl_disconnect(port);
		else
			fuzz_sim_serve_ready();
	}
}

void
fuzz_sim_serve(int fd)
{
	if (fuzz_sim_connect(fd) == 0)
		fuzz_sim_serve_all();
}
