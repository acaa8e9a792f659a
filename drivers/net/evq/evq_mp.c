/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * evq_mp.c: net_evq in DPDK secondary processes (dpdk-proc-info,
 * dpdk-dumpcap, a secondary testpmd).
 * Owns: the multi-process request "net_evq_mp" that the primary answers
 * and the secondary's side of it: attach (the doorbell page's file
 * descriptor and the Rx interrupt eventfds handed over with the reply, as
 * virtio-user and memif hand over theirs), BAR0 reads and admin commands
 * forwarded to the primary, and the per-process state kept in
 * eth_dev->process_private.
 *
 * Only the primary talks to the adapter over its vfio-user connection: a
 * second client on the same socket would interleave messages with it. The
 * queues, rings and counters live in DPDK's shared memory and are read in
 * place. The doorbell page is mapped in the secondary at the virtual
 * address the primary uses, as EAL maps PCI BARs in secondaries
 * (pci_vfio_map_resource_secondary), so that the doorbell pointers the
 * primary stored in the shared queue structures are valid in both
 * processes and the datapath needs no per-process lookup.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_eal.h>
#include <rte_interrupts.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "evq_ethdev.h"

#define EVQ_MP_ACTION		"net_evq_mp"
#define EVQ_MP_TIMEOUT_S	5
/* Bytes of register data per message (the rest of the 256 is the header). */
#define EVQ_MP_DATA_MAX		152

enum evq_mp_op {
	EVQ_MP_ATTACH = 1,	/* reply: dbpage fd + VA, Rx vector count */
	EVQ_MP_EFDS,		/* reply: eventfds of vectors first.. (up to 8) */
	EVQ_MP_REG_READ,	/* reply: data[0..len) = BAR0[off..off+len) */
	EVQ_MP_ADMIN,		/* request: opcode in off, args in data; reply: results */
};

struct evq_mp_param {
	char name[RTE_ETH_NAME_MAX_LEN];	/* the port's device name */
	uint32_t op;
	int32_t result;				/* reply: 0 or a negative errno */
	uint32_t off;
	uint32_t len;
	uint64_t dbpage_va;			/* ATTACH reply */
	uint16_t nb_vec;			/* ATTACH reply: Rx vectors bound */
	uint16_t first_vec;			/* EFDS request */
	uint16_t nb_rxq;			/* ATTACH reply: Rx queues they serve */
	uint16_t pad;
	uint8_t data[EVQ_MP_DATA_MAX];
};

static_assert(sizeof(struct evq_mp_param) <= RTE_MP_MAX_PARAM_LEN,
		"an evq multi-process message fits one rte_mp message");

/* Primary: how many ports share the registered action. */
static unsigned int evq_mp_users;

/* ------------------------------------------------------------------ */
/* Primary side                                                       */
/* ------------------------------------------------------------------ */

static struct evq_adapter *
evq_mp_find(const char *name)
{
	struct rte_eth_dev *dev = rte_eth_dev_allocated(name);

	if (dev == NULL || dev->dev_ops != &evq_eth_dev_ops || dev->data->dev_private == NULL)
		return NULL;
	return evq_adapter_of(dev);
}

static void
evq_mp_answer_attach(struct evq_adapter *ad, struct evq_mp_param *p, struct rte_mp_msg *reply)
{
	uint16_t nb_rxq = 0;
	uint64_t off;
	int fd;

	if (ad->tp_ops->dbpage_fd == NULL) {
		p->result = -ENOTSUP;
		return;
	}
	p->result = ad->tp_ops->dbpage_fd(ad, &fd, &off);
	if (p->result != 0)
		return;
	p->dbpage_va = (uint64_t)(uintptr_t)ad->dbpage;
	p->off = (uint32_t)off;
	reply->fds[0] = fd;
	reply->num_fds = 1;
	if (ad->rxq_intr && ad->tp_ops->rxq_efds != NULL &&
			ad->tp_ops->rxq_efds(ad, 1, NULL, 0, &nb_rxq) == 0 && nb_rxq != 0) {
		p->nb_vec = evq_rxq_nb_efds(ad, nb_rxq);
		p->nb_rxq = nb_rxq;
	}
}

static void
evq_mp_answer_efds(struct evq_adapter *ad, struct evq_mp_param *p, struct rte_mp_msg *reply)
{
	uint16_t nb_rxq;
	int n;

	p->result = -ENOENT;
	if (ad->tp_ops->rxq_efds == NULL || p->first_vec == 0)
		return;
	n = ad->tp_ops->rxq_efds(ad, p->first_vec, reply->fds, RTE_MP_MAX_FD_NUM, &nb_rxq);
	if (n > 0) {
		reply->num_fds = n;
		p->result = 0;
	}
}

static int
evq_mp_primary_handle(const struct rte_mp_msg *msg, const void *peer)
{
	const struct evq_mp_param *req = (const void *)msg->param;
	struct rte_mp_msg reply;
	struct evq_mp_param *p = (void *)reply.param;
	struct evq_adapter *ad;

	memset(&reply, 0, sizeof(reply));
	strlcpy(reply.name, msg->name, sizeof(reply.name));
	reply.len_param = sizeof(*p);
	if (msg->len_param != sizeof(*req)) {
		p->result = -EINVAL;
		return rte_mp_reply(&reply, peer);
	}
	memcpy(p->name, req->name, sizeof(p->name));
	p->name[sizeof(p->name) - 1] = '\0';
	p->op = req->op;
	ad = evq_mp_find(p->name);
	if (ad == NULL || ad->closed || ad->removed) {
		p->result = -ENODEV;
		return rte_mp_reply(&reply, peer);
	}
	switch (req->op) {
	case EVQ_MP_ATTACH:
		evq_mp_answer_attach(ad, p, &reply);
		break;
	case EVQ_MP_EFDS:
		p->first_vec = req->first_vec;
		evq_mp_answer_efds(ad, p, &reply);
		break;
	case EVQ_MP_REG_READ:
		if (req->len == 0 || req->len > EVQ_MP_DATA_MAX || (req->len & 3) != 0) {
			p->result = -EINVAL;
			break;
		}
		p->off = req->off;
		p->len = req->len;
		p->result = evq_reg_read(ad, req->off, p->data, req->len);
		break;
	case EVQ_MP_ADMIN: {
		uint32_t args[EVQ_ADMIN_NARGS], res[2] = { 0, 0 };

		memcpy(args, req->data, sizeof(args));
		p->result = evq_admin(ad, (uint8_t)req->off, args, &res[0], &res[1]);
		memcpy(p->data, res, sizeof(res));
		break;
	}
	default:
		p->result = -ENOTSUP;
		break;
	}
	return rte_mp_reply(&reply, peer);
}

int
evq_mp_primary_register(void)
{
	if (evq_mp_users == 0 &&
			rte_mp_action_register(EVQ_MP_ACTION, evq_mp_primary_handle) != 0 &&
			rte_errno != EEXIST) {
		/* --in-memory and --no-shconf disable multi-process: fine */
		if (rte_errno == ENOTSUP)
			return 0;
		EVQ_PMD_LOG(ERR, "cannot register the multi-process action %s: %s",
				EVQ_MP_ACTION, rte_strerror(rte_errno));
		return -rte_errno;
	}
	evq_mp_users++;
	return 0;
}

void
evq_mp_primary_unregister(void)
{
	if (evq_mp_users == 0)
		return;
	if (--evq_mp_users == 0)
		rte_mp_action_unregister(EVQ_MP_ACTION);
}

/* ------------------------------------------------------------------ */
/* Secondary side                                                     */
/* ------------------------------------------------------------------ */

/* One request to the primary; on success *reply is the answer (the caller
 * frees reply->msgs). */
static int
evq_mp_request(const char *name, struct evq_mp_param *req, struct rte_mp_reply *reply,
		struct evq_mp_param **answer)
{
	struct timespec ts = { .tv_sec = EVQ_MP_TIMEOUT_S, .tv_nsec = 0 };
	struct rte_mp_msg msg;
	struct evq_mp_param *p;

	memset(&msg, 0, sizeof(msg));
	strlcpy(msg.name, EVQ_MP_ACTION, sizeof(msg.name));
	strlcpy(req->name, name, sizeof(req->name));
	msg.len_param = sizeof(*req);
	memcpy(msg.param, req, sizeof(*req));
	if (rte_mp_request_sync(&msg, reply, &ts) != 0 || reply->nb_received != 1) {
		int err = reply->nb_received == 0 ? ETIMEDOUT : rte_errno;

		free(reply->msgs);
		reply->msgs = NULL;
		return -err;
	}
	p = (struct evq_mp_param *)reply->msgs[0].param;
	if (reply->msgs[0].len_param != sizeof(*p)) {
		free(reply->msgs);
		reply->msgs = NULL;
		return -EPROTO;
	}
	if (p->result != 0) {
		int ret = p->result;
		int i;

		for (i = 0; i < reply->msgs[0].num_fds; i++)
			close(reply->msgs[0].fds[i]);
		free(reply->msgs);
		reply->msgs = NULL;
		return ret;
	}
	*answer = p;
	return 0;
}

int
evq_mp_reg_read(struct evq_adapter *ad, uint32_t off, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len != 0) {
		struct evq_mp_param req, *p;
		struct rte_mp_reply reply;
		uint32_t n = (uint32_t)RTE_MIN(len, (size_t)EVQ_MP_DATA_MAX);
		int ret;

		memset(&req, 0, sizeof(req));
		req.op = EVQ_MP_REG_READ;
		req.off = off;
		req.len = n;
		ret = evq_mp_request(ad->name, &req, &reply, &p);
		if (ret != 0)
			return ret;
		memcpy(out, p->data, n);
		free(reply.msgs);
		out += n;
		off += n;
		len -= n;
	}
	return 0;
}

int
evq_mp_admin(struct evq_adapter *ad, uint8_t opcode, const uint32_t args[EVQ_ADMIN_NARGS],
		uint32_t *result0, uint32_t *result1)
{
	struct evq_mp_param req, *p;
	struct rte_mp_reply reply;
	uint32_t res[2];
	int ret;

	memset(&req, 0, sizeof(req));
	req.op = EVQ_MP_ADMIN;
	req.off = opcode;
	if (args != NULL)
		memcpy(req.data, args, sizeof(uint32_t) * EVQ_ADMIN_NARGS);
	ret = evq_mp_request(ad->name, &req, &reply, &p);
	if (ret != 0)
		return ret;
	memcpy(res, p->data, sizeof(res));
	free(reply.msgs);
	if (result0 != NULL)
		*result0 = res[0];
	if (result1 != NULL)
		*result1 = res[1];
	return 0;
}

static void
evq_mp_proc_free(struct evq_proc *pp)
{
	unsigned int i;

	if (pp->intr_handle != NULL) {
		rte_intr_vec_list_free(pp->intr_handle);
		rte_intr_instance_free(pp->intr_handle);
	}
	for (i = 0; i < RTE_DIM(pp->efd); i++)
		if (pp->efd[i] >= 0)
			close(pp->efd[i]);
	if (pp->dbpage != NULL)
		munmap(pp->dbpage, EVQ_BAR2_SIZE);
	rte_free(pp);
}

/*
 * The Rx queue eventfds of the primary, as this process's interrupt handle
 * (the same layout the primary gives its own, evq_rxq_efd_index(): with a
 * vector per Rx EQ efds[v - 1] = vector v, intr_vec[q] =
 * RTE_INTR_VEC_RXTX_OFFSET + vector of q - 1; on shared vectors or INTx
 * the driver's eventfd of queue q at index q), so that
 * rte_eth_dev_rx_intr_ctl_q() works here too.
 */
static int
evq_mp_attach_intr(struct rte_eth_dev *dev, struct evq_proc *pp, uint16_t nb_vec,
		uint16_t nb_rxq)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct rte_intr_handle *h;
	uint16_t v = 1, q;
	int ret;

	while (v <= nb_vec) {
		struct evq_mp_param req, *p;
		struct rte_mp_reply reply;
		int i;

		memset(&req, 0, sizeof(req));
		req.op = EVQ_MP_EFDS;
		req.first_vec = v;
		ret = evq_mp_request(ad->name, &req, &reply, &p);
		if (ret != 0)
			return ret;
		for (i = 0; i < reply.msgs[0].num_fds; i++) {
			if (v + i <= nb_vec)
				pp->efd[v + i] = reply.msgs[0].fds[i];
			else
				close(reply.msgs[0].fds[i]);
		}
		v += reply.msgs[0].num_fds;
		free(reply.msgs);
	}
	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL)
		return -ENOMEM;
	pp->intr_handle = h;
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
			rte_intr_nb_efd_set(h, nb_vec) != 0 ||
			rte_intr_max_intr_set(h, nb_vec + 1) != 0 ||
			rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0 ||
			rte_intr_vec_list_alloc(h, "evq_intr_vec", nb_rxq) != 0)
		return -rte_errno;
	for (v = 1; v <= nb_vec; v++)
		if (rte_intr_efds_index_set(h, v - 1, pp->efd[v]) != 0)
			return -rte_errno;
	for (q = 0; q < nb_rxq; q++)
		if (rte_intr_vec_list_index_set(h, q, RTE_INTR_VEC_RXTX_OFFSET +
				evq_rxq_efd_index(ad, nb_rxq, q)) != 0)
			return -rte_errno;
	dev->intr_handle = h;
	return 0;
}

int
evq_mp_attach(struct rte_eth_dev *dev)
{
	struct evq_adapter *ad = evq_adapter_of(dev);
	struct evq_mp_param req, *p;
	struct rte_mp_reply reply;
	struct evq_proc *pp;
	void *want, *va;
	unsigned int i;
	int ret;

	pp = rte_zmalloc_socket("evq_proc", sizeof(*pp), 0, dev->data->numa_node);
	if (pp == NULL)
		return -ENOMEM;
	for (i = 0; i < RTE_DIM(pp->efd); i++)
		pp->efd[i] = -1;
	memset(&req, 0, sizeof(req));
	req.op = EVQ_MP_ATTACH;
	ret = evq_mp_request(ad->name, &req, &reply, &p);
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "the primary process did not hand over the port: %s",
				strerror(-ret));
		rte_free(pp);
		return ret;
	}
	if (reply.msgs[0].num_fds != 1) {
		EVQ_DEV_LOG(ERR, ad, "the primary's reply carries %d file descriptors, not 1",
				reply.msgs[0].num_fds);
		free(reply.msgs);
		rte_free(pp);
		return -EPROTO;
	}
	want = (void *)(uintptr_t)p->dbpage_va;
	va = mmap(want, EVQ_BAR2_SIZE, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_FIXED_NOREPLACE, reply.msgs[0].fds[0], p->off);
	close(reply.msgs[0].fds[0]);
	if (va != MAP_FAILED && va != want) {
		/* a kernel without MAP_FIXED_NOREPLACE treats it as a hint */
		munmap(va, EVQ_BAR2_SIZE);
		va = MAP_FAILED;
		errno = EEXIST;
	}
	if (va == MAP_FAILED) {
		ret = -errno;
		EVQ_DEV_LOG(ERR, ad, "cannot map the doorbell page at the primary's address "
				"%p in this process: %s", want, strerror(-ret));
		free(reply.msgs);
		rte_free(pp);
		return ret;
	}
	pp->dbpage = va;
	ret = p->nb_vec != 0 ? evq_mp_attach_intr(dev, pp, p->nb_vec, p->nb_rxq) : 0;
	free(reply.msgs);
	if (ret != 0) {
		EVQ_DEV_LOG(ERR, ad, "cannot take over the Rx interrupt eventfds: %s",
				strerror(-ret));
		dev->intr_handle = NULL;
		evq_mp_proc_free(pp);
		return ret;
	}
	dev->process_private = pp;
	return 0;
}

void
evq_mp_detach(struct rte_eth_dev *dev)
{
	struct evq_proc *pp = dev->process_private;

	if (pp == NULL)
		return;
	if (dev->intr_handle == pp->intr_handle)
		dev->intr_handle = NULL;
	evq_mp_proc_free(pp);
	dev->process_private = NULL;
}
