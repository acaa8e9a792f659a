/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * fuzz_sim.h: one evq-sim port inside a fuzz process, for the targets that
 * attack the device model through a live vfio-user connection. The port is
 * the real one (registers, DMA table, engine, loop wire, control callbacks);
 * only the threads are missing: configuration requests run inline (the
 * engine is not started, so sim_engine_call() runs them in the caller) and
 * the harness runs engine passes itself with sim_engine_run_once().
 */

#ifndef EVQ_FUZZ_SIM_H
#define EVQ_FUZZ_SIM_H

#include "sim.h"

/* Set up the port once per process (exits on failure). */
struct sim_port *fuzz_sim_port(void);

/* Take fd as the port's connection (closed here on failure): 0 or -1. */
int fuzz_sim_connect(int fd);

/* Handle every message the connection has ready now, each after two
 * engine passes (the device acts on what the previous message and the
 * client's memory stores changed, before the message is answered). On a
 * transport error or EOF the connection ends (its fd closed): false. */
bool fuzz_sim_serve_ready(void);

/* Serve the connection until the client side closes or misbehaves. */
void fuzz_sim_serve_all(void);

/* fuzz_sim_connect(fd), then fuzz_sim_serve_all(). */
void fuzz_sim_serve(int fd);

/* The port's engine. */
struct sim_engine *fuzz_sim_engine(void);

#endif /* EVQ_FUZZ_SIM_H */
