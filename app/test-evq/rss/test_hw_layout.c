/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The evq authors
 */

/*
 * rss (hardware contract): evq_hw.h and evq_ring.h compile together
 * without clashes, and the register map keeps the properties the driver
 * and the device rely on (alignment, one doorbell line per queue and EQ,
 * event codes outside 0x00/0xff, EQ states equal to the ring's states,
 * MAC register packing).
 */

#include <string.h>

#include <criterion/criterion.h>

#include "evq_ring.h"
#include "evq_hw.h"

Test(rss, hw_event_codes_fit_the_ring_contract)
{
	static const uint8_t codes[] = {
		EVQ_EV_RX, EVQ_EV_TX, EVQ_EV_LINK, EVQ_EV_EQ_OVERFLOW,
		EVQ_EV_DEV_ERROR, EVQ_EV_ADMIN, EVQ_EV_TEST,
	};
	size_t i, j;

	for (i = 0; i < sizeof(codes); i++) {
		cr_expect_neq(codes[i], EVQ_CODE_EMPTY);
		cr_expect_neq(codes[i], EVQ_CODE_SWITCH);
		for (j = i + 1; j < sizeof(codes); j++)
			cr_expect_neq(codes[i], codes[j]);
	}
	cr_expect_eq(EVQ_EV_RESERVED_SWITCH, EVQ_CODE_SWITCH);
	cr_expect_eq(evq_ctrl_code(evq_ctrl_make(EVQ_EV_RX, 0x03ffff)), EVQ_EV_RX);
	cr_expect_eq((int)EVQ_EQ_UNDEFINED, (int)EVQ_RING_UNDEFINED);
	cr_expect_eq((int)EVQ_EQ_UNARMED, (int)EVQ_RING_UNARMED);
	cr_expect_eq((int)EVQ_EQ_ARMED, (int)EVQ_RING_ARMED);
	cr_expect_eq(EVQ_EQ_SIZE_MIN, EVQ_RING_SIZE_MIN);
	cr_expect_eq(EVQ_EQ_SIZE_MAX, EVQ_RING_SIZE_MAX);
	cr_expect_leq(EVQ_MAX_EQS - 1, EVQ_RING_NUMBER_MAX);
}

Test(rss, hw_doorbell_page_lines)
{
	unsigned int q, e;

	for (q = 0; q < EVQ_MAX_QUEUES; q++) {
		cr_expect_eq(EVQ_DBPAGE_RXQ_TAIL(q) / 64, EVQ_DBPAGE_TXQ_TAIL(q) / 64,
				"a queue pair shares its own line");
		if (q > 0)
			cr_expect_neq(EVQ_DBPAGE_RXQ_TAIL(q) / 64, EVQ_DBPAGE_RXQ_TAIL(q - 1) / 64);
	}
	for (e = 0; e < EVQ_MAX_EQS; e++) {
		cr_expect_eq(EVQ_DBPAGE_EQ(e) % 64, 0, "EQ doorbell on its own line");
		cr_expect_geq(EVQ_DBPAGE_EQ(e), EVQ_DBPAGE_RXQ_TAIL(EVQ_MAX_QUEUES - 1) + 64);
		cr_expect_lt(EVQ_DBPAGE_EQ(e) + 8, EVQ_BAR2_SIZE);
	}
}

Test(rss, hw_register_map)
{
	unsigned int i;

	cr_expect_eq(EVQ_REG_LOCAL_TIME_LO % 8, 0);
	cr_expect_eq(EVQ_REG_STAT(0) % 8, 0);
	for (i = 0; i < EVQ_MAX_EQS; i++) {
		cr_expect_eq(EVQ_REG_EQ(i, EVQ_EQ_BASE_LO) % 8, 0);
		cr_expect_eq(EVQ_REG_EQ(i, EVQ_EQ_SIGNALS_LO) % 8, 0);
		cr_expect_eq(EVQ_REG_EQ(i, EVQ_EQ_INTR_TS_LO) % 8, 0);
	}
	for (i = 0; i < EVQ_MAX_QUEUES; i++) {
		cr_expect_eq(EVQ_REG_RXQ(i, EVQ_RXQ_PACKETS_LO) % 8, 0);
		cr_expect_eq(EVQ_REG_TXQ(i, EVQ_TXQ_BYTES_LO) % 8, 0);
		cr_expect_lt(EVQ_REG_MVM(EVQ_EVCLASS_TX, i), EVQ_REG_STAT(0));
	}
	cr_expect_eq(EVQ_RETA_ENTRY_REG(127), EVQ_REG_RETA(31));
	cr_expect_eq(EVQ_RETA_ENTRY_SHIFT(127), 24);
	cr_expect_eq(evq_mvm_entry(3, 4, 1),
			EVQ_MVM_VALID | EVQ_MVM_LEGACY | (4u << EVQ_MVM_VECTOR_SHIFT) | 3u);
	cr_expect_eq(EVQ_MVM_RESERVED_MASK & (EVQ_MVM_VALID | EVQ_MVM_LEGACY |
			EVQ_MVM_VECTOR_MASK | EVQ_MVM_EQ_MASK), 0);
	cr_expect_eq(EVQ_PCI_MSIX_TABLE, 0x4u);
	cr_expect_eq(EVQ_PCI_MSIX_PBA, 0x804u);
}

/* MAC_LO/HI packing, shared by the driver and the device model. */
Test(rss, hw_mac_register_packing)
{
	const uint8_t mac[6] = { 0x02, 0x45, 0x56, 0x51, 0x00, 0x9a };
	uint8_t back[6] = { 0 };

	cr_expect_eq(evq_mac_reg_lo(mac), 0x51564502u);
	cr_expect_eq(evq_mac_reg_hi(mac), 0x9a00u);
	evq_mac_from_reg_lo(back, evq_mac_reg_lo(mac));
	evq_mac_from_reg_hi(back, evq_mac_reg_hi(mac) | 0xabcd0000u);
	cr_expect_eq(memcmp(back, mac, sizeof(mac)), 0,
			"reserved bits 31:16 of MAC_HI must not reach the address");
}
