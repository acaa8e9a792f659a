/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/* Test-only evq-sim launcher and minimal driver (see sim_client.h). */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim_client.h"

uint64_t
sc_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ process -- */

static bool
sc_sock_ready(const char *path)
{
	struct sockaddr_un sa;
	int fd, ret;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return ret == 0;
}

int
sc_sim_start(struct sc_sim *sim, unsigned int nb_ports, const char *const *args)
{
	const char *exe = getenv("EVQ_SIM");
	const char *argv[64];
	unsigned int n = 0, i;
	uint64_t deadline;

	memset(sim, 0, sizeof(*sim));
	if (exe == NULL || nb_ports == 0 || nb_ports > SC_MAX_PORTS)
		return -EINVAL;
	snprintf(sim->dir, sizeof(sim->dir), "/tmp/evq-sim-test.XXXXXX");
	if (mkdtemp(sim->dir) == NULL)
		return -errno;
	sim->nb_ports = nb_ports;
	snprintf(sim->log, sizeof(sim->log), "%s/stderr", sim->dir);
	snprintf(sim->out, sizeof(sim->out), "%s/stdout", sim->dir);
	argv[n++] = exe;
	for (i = 0; i < nb_ports; i++) {
		snprintf(sim->sock[i], sizeof(sim->sock[i]), "%s/evq%u.sock", sim->dir, i);
		argv[n++] = "--socket";
		argv[n++] = sim->sock[i];
	}
	for (i = 0; args != NULL && args[i] != NULL && n < 62; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	sim->pid = fork();
	if (sim->pid < 0)
		return -errno;
	if (sim->pid == 0) {
		int out = open(sim->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(sim->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		/* a test that fails half-way must not leave a sim behind */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(126);

		if (out >= 0)
			dup2(out, 1);
		if (err >= 0)
			dup2(err, 2);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	deadline = sc_ms() + 10000;
	for (i = 0; i < nb_ports; i++) {
		while (!sc_sock_ready(sim->sock[i])) {
			if (!sc_sim_alive(sim) || sc_ms() > deadline)
				return -ETIMEDOUT;
			usleep(2000);
		}
	}
	return 0;
}

bool
sc_sim_alive(struct sc_sim *sim)
{
	int status;

	if (sim->pid <= 0)
		return false;
	if (waitpid(sim->pid, &status, WNOHANG) == sim->pid) {
		sim->pid = -1;
		return false;
	}
	return true;
}

int
sc_sim_stop(struct sc_sim *sim)
{
	uint64_t deadline = sc_ms() + 10000;
	int status, ret = -1;

	if (sim->pid <= 0)
		return -1;
	kill(sim->pid, SIGTERM);
	while (sc_ms() < deadline) {
		pid_t r = waitpid(sim->pid, &status, WNOHANG);

		if (r == sim->pid) {
			unsigned int i;

			ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			sim->pid = -1;
			(void)i;
			if (ret == 0 && !sim->keep_files)
				sc_sim_cleanup(sim);	/* nothing to look at */
			return ret;
		}
		usleep(5000);
	}
	kill(sim->pid, SIGKILL);
	waitpid(sim->pid, &status, 0);
	sim->pid = -1;
	return -ETIMEDOUT;
}

void
sc_sim_cleanup(struct sc_sim *sim)
{
	unsigned int i;

	for (i = 0; i < sim->nb_ports; i++)
		unlink(sim->sock[i]);
	unlink(sim->log);
	unlink(sim->out);
	rmdir(sim->dir);
}

int
sc_sim_read_out(struct sc_sim *sim, char *buf, size_t size)
{
	int fd = open(sim->out, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

/* ------------------------------------------------------------- device -- */

int
sc_dev_open(struct sc_dev *dev, const char *sock, size_t mem_size)
{
	struct evq_vfu_region bar2;
	unsigned int i;
	int fd, ret;

	memset(dev, 0, sizeof(*dev));
	dev->memfd = -1;
	dev->db_fd = -1;
	dev->intx = -1;
	for (i = 0; i < EVQ_MSIX_VECTORS; i++)
		dev->msix[i] = -1;
	fd = evq_vfu_client_connect(sock);
	if (fd < 0)
		return fd;
	ret = evq_vfu_client_conn_init(&dev->conn, fd);
	if (ret != 0) {
		close(fd);
		return ret;
	}
	ret = evq_vfu_client_negotiate(&dev->conn, NULL);
	if (ret != 0)
		goto fail;
	ret = evq_vfu_client_get_region_info(&dev->conn, VFIO_PCI_BAR2_REGION_INDEX, &bar2);
	if (ret != 0)
		goto fail;
	if (bar2.fd < 0 || bar2.nr_areas < 1) {
		ret = -EPROTO;
		goto fail;
	}
	dev->db_fd = bar2.fd;
	dev->db = mmap(NULL, EVQ_BAR2_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, bar2.fd,
			(off_t)(bar2.info.offset + bar2.areas[0].offset));
	if (dev->db == MAP_FAILED) {
		ret = -errno;
		dev->db = NULL;
		goto fail;
	}
	if (mem_size != 0) {
		dev->memfd = memfd_create("sc-dma", MFD_CLOEXEC);
		if (dev->memfd < 0 || ftruncate(dev->memfd, (off_t)mem_size) < 0) {
			ret = -errno;
			goto fail;
		}
		dev->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE, MAP_SHARED,
				dev->memfd, 0);
		if (dev->mem == MAP_FAILED) {
			ret = -errno;
			dev->mem = NULL;
			goto fail;
		}
		dev->mem_size = mem_size;
		ret = evq_vfu_client_dma_map(&dev->conn, dev->memfd, 0, sc_iova(dev->mem),
				mem_size, EVQ_VFU_DMA_F_READ | EVQ_VFU_DMA_F_WRITE);
		if (ret != 0)
			goto fail;
	}
	return 0;
fail:
	sc_dev_close(dev);
	return ret;
}

void
sc_dev_close(struct sc_dev *dev)
{
	unsigned int i;

	evq_vfu_client_conn_close(&dev->conn);
	if (dev->db != NULL)
		munmap(dev->db, EVQ_BAR2_SIZE);
	if (dev->db_fd >= 0)
		close(dev->db_fd);
	if (dev->mem != NULL)
		munmap(dev->mem, dev->mem_size);
	if (dev->memfd >= 0)
		close(dev->memfd);
	for (i = 0; i < EVQ_MSIX_VECTORS; i++)
		if (dev->msix[i] >= 0)
			close(dev->msix[i]);
	if (dev->intx >= 0)
		close(dev->intx);
	memset(dev, 0, sizeof(*dev));
	dev->memfd = dev->db_fd = dev->intx = -1;
}

void *
sc_alloc(struct sc_dev *dev, size_t size, size_t align)
{
	uintptr_t p = (uintptr_t)dev->mem + dev->used;

	p = (p + align - 1) & ~(uintptr_t)(align - 1);
	if (p + size > (uintptr_t)dev->mem + dev->mem_size)
		return NULL;
	dev->used = p + size - (uintptr_t)dev->mem;
	memset((void *)p, 0, size);
	return (void *)p;
}

int
sc_rd32(struct sc_dev *dev, uint32_t off, uint32_t *v)
{
	return evq_vfu_client_region_read(&dev->conn, VFIO_PCI_BAR0_REGION_INDEX, off, v, 4);
}

uint32_t
sc_r32(struct sc_dev *dev, uint32_t off)
{
	uint32_t v;

	return sc_rd32(dev, off, &v) == 0 ? v : 0xdeadbeef;
}

int
sc_wr32(struct sc_dev *dev, uint32_t off, uint32_t v)
{
	return evq_vfu_client_region_write(&dev->conn, VFIO_PCI_BAR0_REGION_INDEX, off, &v, 4);
}

uint64_t
sc_r64(struct sc_dev *dev, uint32_t off)
{
	uint64_t v;

	return evq_vfu_client_region_read(&dev->conn, VFIO_PCI_BAR0_REGION_INDEX, off,
			&v, 8) == 0 ? v : ~0ull;
}

int
sc_wr64(struct sc_dev *dev, uint32_t off, uint64_t v)
{
	return evq_vfu_client_region_write(&dev->conn, VFIO_PCI_BAR0_REGION_INDEX, off, &v, 8);
}

int
sc_irq_msix(struct sc_dev *dev, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (dev->msix[i] < 0)
			dev->msix[i] = evq_eventfd_create();
		if (dev->msix[i] < 0)
			return dev->msix[i];
	}
	return evq_vfu_client_set_irqs(&dev->conn, VFIO_PCI_MSIX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 0, n,
			dev->msix, NULL);
}

int
sc_irq_intx(struct sc_dev *dev)
{
	if (dev->intx < 0)
		dev->intx = evq_eventfd_create();
	if (dev->intx < 0)
		return dev->intx;
	return evq_vfu_client_set_irqs(&dev->conn, VFIO_PCI_INTX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1,
			&dev->intx, NULL);
}

int
sc_irq_wait(int fd, int timeout_ms)
{
	return evq_eventfd_wait(fd, timeout_ms);
}

int
sc_admin(struct sc_dev *dev, uint8_t opcode, const uint32_t args[6], uint32_t *r0,
		uint32_t *r1)
{
	uint32_t block[EVQ_ADMIN_NARGS + 1] = { 0 };
	static uint16_t tag;
	int ret;

	if (args != NULL)
		memcpy(block, args, sizeof(uint32_t) * EVQ_ADMIN_NARGS);
	block[EVQ_ADMIN_NARGS] = opcode | ((uint32_t)++tag << EVQ_ADMIN_CMD_TAG_SHIFT);
	ret = evq_vfu_client_region_write(&dev->conn, VFIO_PCI_BAR0_REGION_INDEX,
			EVQ_REG_ADMIN_ARG(0), block, sizeof(block));
	if (ret != 0)
		return -1000 + ret;
	if (r0 != NULL)
		*r0 = sc_r32(dev, EVQ_REG_ADMIN_RESULT0);
	if (r1 != NULL)
		*r1 = sc_r32(dev, EVQ_REG_ADMIN_RESULT1);
	return (int)sc_r32(dev, EVQ_REG_ADMIN_ERRNO);
}

int
sc_eq_setup(struct sc_dev *dev, struct sc_eq *eq, uint16_t num, uint32_t size,
		uint32_t ctrl_flags)
{
	struct evq_ring_cons_conf conf;
	int ret;

	memset(eq, 0, sizeof(*eq));
	eq->mem = sc_alloc(dev, (size_t)size * 16, 64);
	if (eq->mem == NULL)
		return -ENOMEM;
	eq->size = size;
	eq->num = num;
	memset(&conf, 0, sizeof(conf));
	conf.base = eq->mem;
	conf.size = size;
	conf.entry_size = 16;
	conf.ring_number = num;
	conf.doorbell = (uint64_t *)(dev->db + EVQ_DBPAGE_EQ(num));
	/* the phase rule: the device learns of free space only from the read
	 * count published every quarter of the ring (datasheet) */
	if (ctrl_flags & EVQ_EQ_CTRL_PHASE) {
		conf.validity = EVQ_RING_VALIDITY_PHASE;
		conf.read_publish_interval = size / 4;
	}
	ret = evq_ring_cons_init(&eq->cons, &conf);
	if (ret != 0)
		return ret;
	ret = sc_wr64(dev, EVQ_REG_EQ(num, EVQ_EQ_BASE_LO), sc_iova(eq->mem));
	ret |= sc_wr32(dev, EVQ_REG_EQ(num, EVQ_EQ_SIZE), size);
	ret |= sc_wr32(dev, EVQ_REG_EQ(num, EVQ_EQ_ENTRY_SIZE), 16);
	ret |= sc_wr32(dev, EVQ_REG_EQ(num, EVQ_EQ_CTRL), EVQ_EQ_CTRL_ENABLE | ctrl_flags);
	if (ret != 0)
		return -EIO;
	if ((sc_r32(dev, EVQ_REG_EQ(num, EVQ_EQ_STATE)) & EVQ_EQ_STATE_MASK) ==
			EVQ_EQ_UNDEFINED)
		return -EINVAL;
	return 0;
}

int
sc_eq_next(struct sc_eq *eq, struct evq_event *ev, int timeout_ms)
{
	uint64_t deadline = sc_ms() + (uint64_t)timeout_ms;

	for (;;) {
		if (evq_ring_poll_burst(&eq->cons, ev, 1) == 1)
			return 1;
		if (sc_ms() >= deadline)
			return 0;
		sched_yield();
	}
}

int
sc_eq_find(struct sc_eq *eq, uint8_t code, struct evq_event *ev, int timeout_ms)
{
	uint64_t deadline = sc_ms() + (uint64_t)timeout_ms;

	for (;;) {
		int left = (int)(deadline - sc_ms());

		if (left < 0 || !sc_eq_next(eq, ev, left))
			return 0;
		if (evq_ctrl_code(ev->ctrl) == code)
			return 1;
	}
}

int
sc_rxq_setup(struct sc_dev *dev, struct sc_rxq *rxq, uint16_t q, uint32_t size,
		uint32_t buf_size, uint32_t post)
{
	uint32_t i;
	int ret;

	memset(rxq, 0, sizeof(*rxq));
	rxq->ring = sc_alloc(dev, (size_t)size * 16, 64);
	rxq->bufs = sc_alloc(dev, (size_t)size * buf_size, 64);
	if (rxq->ring == NULL || rxq->bufs == NULL)
		return -ENOMEM;
	rxq->size = size;
	rxq->buf_size = buf_size;
	rxq->q = q;
	rxq->tail_db = (volatile uint32_t *)(dev->db + EVQ_DBPAGE_RXQ_TAIL(q));
	for (i = 0; i < size; i++) {
		rxq->ring[i].buf_iova = sc_iova(rxq->bufs + (size_t)i * buf_size);
		rxq->ring[i].buf_len = (uint16_t)buf_size;
	}
	ret = sc_wr64(dev, EVQ_REG_RXQ(q, EVQ_RXQ_BASE_LO), sc_iova(rxq->ring));
	ret |= sc_wr32(dev, EVQ_REG_RXQ(q, EVQ_RXQ_SIZE), size);
	ret |= sc_wr32(dev, EVQ_REG_RXQ(q, EVQ_RXQ_BUF_SIZE), buf_size);
	ret |= sc_wr32(dev, EVQ_REG_RXQ(q, EVQ_RXQ_CTRL), EVQ_RXQ_CTRL_ENABLE);
	if (ret != 0)
		return -EIO;
	if (!(sc_r32(dev, EVQ_REG_RXQ(q, EVQ_RXQ_STATUS)) & EVQ_QSTATUS_ENABLED))
		return -EINVAL;
	rxq->tail = post;
	__atomic_store_n((uint32_t *)rxq->tail_db, post, __ATOMIC_RELEASE);
	return 0;
}

void
sc_rxq_refill(struct sc_rxq *rxq, uint32_t n)
{
	rxq->tail += n;
	__atomic_store_n((uint32_t *)rxq->tail_db, rxq->tail, __ATOMIC_RELEASE);
}

int
sc_txq_setup(struct sc_dev *dev, struct sc_txq *txq, uint16_t q, uint32_t size)
{
	int ret;

	memset(txq, 0, sizeof(*txq));
	txq->ring = sc_alloc(dev, (size_t)size * 16, 64);
	txq->bufs = sc_alloc(dev, (size_t)size * 2048, 64);
	if (txq->ring == NULL || txq->bufs == NULL)
		return -ENOMEM;
	txq->size = size;
	txq->q = q;
	txq->tail_db = (volatile uint32_t *)(dev->db + EVQ_DBPAGE_TXQ_TAIL(q));
	ret = sc_wr64(dev, EVQ_REG_TXQ(q, EVQ_TXQ_BASE_LO), sc_iova(txq->ring));
	ret |= sc_wr32(dev, EVQ_REG_TXQ(q, EVQ_TXQ_SIZE), size);
	ret |= sc_wr32(dev, EVQ_REG_TXQ(q, EVQ_TXQ_CTRL), EVQ_TXQ_CTRL_ENABLE);
	if (ret != 0)
		return -EIO;
	if (!(sc_r32(dev, EVQ_REG_TXQ(q, EVQ_TXQ_STATUS)) & EVQ_QSTATUS_ENABLED))
		return -EINVAL;
	return 0;
}

void
sc_txq_put(struct sc_txq *txq, const void *frame, uint16_t len, uint16_t flags)
{
	uint32_t slot = txq->tail & (txq->size - 1);
	uint8_t *buf = txq->bufs + (size_t)slot * 2048;

	memcpy(buf, frame, len);
	txq->ring[slot].buf_iova = sc_iova(buf);
	txq->ring[slot].len = len;
	txq->ring[slot].flags = flags;
	txq->ring[slot].mss = 0;
	txq->ring[slot].vlan_tci = 0;
	txq->tail++;
}

void
sc_txq_ring(struct sc_txq *txq)
{
	__atomic_store_n((uint32_t *)txq->tail_db, txq->tail, __ATOMIC_RELEASE);
}

static uint16_t
sc_csum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
sc_frame_udp4(uint8_t *buf, uint16_t len, const uint8_t dst[6], uint32_t src_ip,
		uint32_t dst_ip, uint16_t sport, uint16_t dport)
{
	uint8_t *ip = buf + 14, *udp = buf + 34;
	uint16_t v;
	uint32_t i;

	memset(buf, 0, len);
	memcpy(buf, dst, 6);
	buf[6] = 0x02; buf[11] = 0x99;
	buf[12] = 0x08; buf[13] = 0x00;
	ip[0] = 0x45;
	v = htons((uint16_t)(len - 14));
	memcpy(ip + 2, &v, 2);
	ip[8] = 64;
	ip[9] = 17;
	src_ip = htonl(src_ip);
	dst_ip = htonl(dst_ip);
	memcpy(ip + 12, &src_ip, 4);
	memcpy(ip + 16, &dst_ip, 4);
	v = htons(sc_csum(ip, 20, 0));
	memcpy(ip + 10, &v, 2);
	v = htons(sport);
	memcpy(udp, &v, 2);
	v = htons(dport);
	memcpy(udp + 2, &v, 2);
	v = htons((uint16_t)(len - 34));
	memcpy(udp + 4, &v, 2);
	for (i = 42; i < len; i++)
		buf[i] = (uint8_t)i;
	/* UDP checksum 0 = not computed (allowed over IPv4) */
	return len;
}
