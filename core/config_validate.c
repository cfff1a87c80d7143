/* SPDX-License-Identifier: MIT */
/*
 * The one validator for system configurations; docs/config.md lists the
 * rules in the order they are checked. Pure (no libc, no globals): linked
 * into bhcfg, the host tests and the EL2 hypervisor, which runs it on its
 * compiled-in table and so treats the table as untrusted. Every count is
 * checked before it bounds a loop, every string for its NUL, every range
 * for wraparound. Two-partition rules compare partition p with each q <= p.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/config.h"
#include "hv/colour.h"
#include "hv/config_validate.h"
#include "hv/types.h"

/* End of the guest IPA space (exclusive). */
#define CV_IPA_LIMIT (1ULL << HV_GUEST_IPA_BITS)
/* MPIDR_EL1 affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0). */
#define CV_MPIDR_AFF_MASK 0xff00ffffffULL
/* SPIs are INTIDs 32..1019 (GIC architecture: 1020..1023 are special). */
#define CV_MAX_SPIS 988u
/* Physical GIC region sizes the board's devices must keep clear of. */
#define CV_GICD_SIZE 0x10000ULL
#define CV_GICR_STRIDE 0x20000ULL
#define CV_GICV2_CPU_SIZE 0x2000ULL
#define CV_MAX_GIC_REGIONS 4

/**
 * Records the first error in @d and returns its code (internal, also used
 * by config_channels.c).
 */
enum cfg_err cfg_fail(struct cfg_diag *d, enum cfg_err code, int part,
		      int other, int item, const char *prop)
{
	d->code = code;
	d->partition = part;
	d->other = other;
	d->item = item;
	d->property = prop;
	return code;
}

/* A board error: no partition is involved. */
static enum cfg_err cv_bfail(struct cfg_diag *d, int item, const char *prop)
{
	return cfg_fail(d, CFG_E_BOARD, -1, -1, item, prop);
}

/* An error in partition @p that involves no other partition. */
static enum cfg_err cv_pfail(struct cfg_diag *d, enum cfg_err code, int p,
			     int item, const char *prop)
{
	return cfg_fail(d, code, p, -1, item, prop);
}

/* Length of @s, looking at no more than @max bytes. */
static size_t cv_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0') {
		n++;
	}
	return n;
}

/* A 64-bit word that may alias the characters it is loaded from. */
typedef uint64_t __attribute__((may_alias)) cv_word_t;
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "cfg_streq() reads a string's first character as a word's low byte");

/*
 * Of a word loaded from a string (little-endian: the first character is the
 * low byte), the mask of the bytes up to and including the first NUL, or 0
 * if it has none. The borrow of the subtraction runs only above a zero
 * byte, so the lowest bit it leaves set is that of the first zero byte.
 */
static uint64_t cv_upto_nul(uint64_t x)
{
	uint64_t z = (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;

	return z == 0 ? 0 : z ^ (z - 1);
}

/**
 * True if the two strings are equal within their @max-byte buffers. When
 * both buffers are 8-byte aligned (the names in struct hv_config are), it
 * compares words: while @a's word holds no NUL, equal words go on and a
 * different one decides; in the word with @a's first NUL only the bytes up
 * to it count. Other buffers, and any bytes after the last whole word, go
 * byte by byte. Aligned loads only: the hypervisor runs this with the MMU
 * off.
 */
bool cfg_streq(const char *a, const char *b, size_t max)
{
	size_t i = 0;

	if ((((uintptr_t)a | (uintptr_t)b) & 7) == 0) {
		for (; i + 8 <= max; i += 8) {
			uint64_t x = *(const cv_word_t *)(const void *)(a + i);
			uint64_t y = *(const cv_word_t *)(const void *)(b + i);
			uint64_t nul = cv_upto_nul(x);

			if (nul != 0) {
				return ((x ^ y) & nul) == 0;
			}
			if (x != y) {
				return false;
			}
		}
	}
	while (i < max && a[i] == b[i] && a[i] != '\0') {
		i++;
	}
	return i == max || a[i] == b[i];
}

/* Non-empty and NUL-terminated within its buffer. */
static bool cv_str_ok(const char *s, size_t max)
{
	size_t n = cv_strnlen(s, max);

	return n > 0 && n < max;
}

static bool cv_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/** A name: 1..max-1 characters from [A-Za-z0-9_-], NUL-terminated. */
bool cfg_name_ok(const char *s, size_t max)
{
	size_t len = cv_strnlen(s, max);

	for (size_t i = 0; i < len; i++) {
		if (!cv_name_char(s[i])) {
			return false;
		}
	}
	return len > 0 && len < max;
}

/* True if @irq is an SPI the board's GIC implements (internal, also used
 * by config_dma.c). */
bool cfg_is_spi(const struct hv_board_desc *b, uint32_t irq)
{
	return irq >= HV_SPI_BASE && irq - HV_SPI_BASE < b->spi_count;
}

/*
 * True if [base, base + size) does not fit below 2^64 (internal, also used
 * by config_channels.c). Stricter than
 * range_wraps(): a range ending exactly at 2^64 is refused as well, so that
 * base + size is always representable.
 */
bool cfg_wraps(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base;
}

/* @sum + @size rounded up to 4 KiB, saturating instead of wrapping. */
static uint64_t cv_add_pages(uint64_t sum, uint64_t size)
{
	uint64_t pages = size > UINT64_MAX - SZ_4K
				 ? UINT64_MAX
				 : (size + SZ_4K - 1) & ~(SZ_4K - 1);

	return sum > UINT64_MAX - pages ? UINT64_MAX : sum + pages;
}

/**
 * The board device range rounded out to whole 4 KiB pages: what a partition
 * that owns the device gets mapped. False if the range is empty or wraps
 * (internal, also used by config_dma.c).
 */
bool cfg_page_round(uint64_t base, uint64_t size, uint64_t *rbase,
		    uint64_t *rsize)
{
	if (size == 0 || size > UINT64_MAX - SZ_4K ||
	    cfg_wraps(base, size + SZ_4K)) {
		return false;
	}
	*rbase = base & ~(SZ_4K - 1);
	*rsize = ((base + size + SZ_4K - 1) & ~(SZ_4K - 1)) - *rbase;
	return true;
}

/* A range that wraps counts as overlapping everything. */
static bool cv_overlaps_ram(const struct hv_board_desc *b, uint64_t base,
			    uint64_t size)
{
	if (cfg_wraps(base, size)) {
		return true;
	}
	for (uint32_t i = 0; i < b->ram_count && i < HV_MAX_RAM_BANKS; i++) {
		if (ranges_overlap(base, size, b->ram[i].base,
				   b->ram[i].size)) {
			return true;
		}
	}
	return false;
}

/* Fills the physical GIC regions of a board whose cpu_count is valid. */
static int cv_gic_regions(const struct hv_board_desc *b,
			  uint64_t base[CV_MAX_GIC_REGIONS],
			  uint64_t size[CV_MAX_GIC_REGIONS])
{
	base[0] = b->gicd_base;
	size[0] = CV_GICD_SIZE;
	if (b->gic_version == HV_GIC_V3) {
		base[1] = b->gicr_base;
		size[1] = CV_GICR_STRIDE * b->cpu_count;
		return 2;
	}
	base[1] = b->gicc_base;
	base[2] = b->gich_base;
	base[3] = b->gicv_base;
	size[1] = CV_GICV2_CPU_SIZE;
	size[2] = CV_GICV2_CPU_SIZE;
	size[3] = CV_GICV2_CPU_SIZE;
	return 4;
}

static enum cfg_err cv_board_cpus(const struct hv_board_desc *b,
				  struct cfg_diag *d)
{
	if (b->cpu_count == 0 || b->cpu_count > HV_MAX_CPUS) {
		return cv_bfail(d, -1, "cpus");
	}
	for (uint32_t i = 0; i < b->cpu_count; i++) {
		if ((b->cpu_mpidr[i] & ~CV_MPIDR_AFF_MASK) != 0) {
			return cv_bfail(d, (int)i, "cpus");
		}
		for (uint32_t j = 0; j < i; j++) {
			if (b->cpu_mpidr[j] == b->cpu_mpidr[i]) {
				return cv_bfail(d, (int)i, "cpus");
			}
		}
	}
	return CFG_OK;
}

static enum cfg_err cv_board_ram(const struct hv_board_desc *b,
				 struct cfg_diag *d)
{
	bool hv_in_bank = false;

	if (b->ram_count == 0 || b->ram_count > HV_MAX_RAM_BANKS) {
		return cv_bfail(d, -1, "memory");
	}
	for (uint32_t i = 0; i < b->ram_count; i++) {
		const struct hv_ram_bank *r = &b->ram[i];

		if (r->size == 0 || cfg_wraps(r->base, r->size) ||
		    !is_aligned(r->base, SZ_4K) ||
		    !is_aligned(r->size, SZ_4K)) {
			return cv_bfail(d, (int)i, "memory");
		}
		for (uint32_t j = 0; j < i; j++) {
			if (ranges_overlap(r->base, r->size, b->ram[j].base,
					   b->ram[j].size)) {
				return cv_bfail(d, (int)i, "memory");
			}
		}
		if (range_within(b->hv_base, b->hv_size, r->base, r->size)) {
			hv_in_bank = true;
		}
	}
	if (b->hv_size == 0 || cfg_wraps(b->hv_base, b->hv_size) ||
	    !is_aligned(b->hv_base, SZ_2M) || !is_aligned(b->hv_size, SZ_2M) ||
	    !hv_in_bank) {
		return cv_bfail(d, -1, "hypervisor");
	}
	/* Colours: none, or a power of two up to HV_MAX_COLOURS. */
	if (b->llc_colours > HV_MAX_COLOURS ||
	    (b->llc_colours & (b->llc_colours - 1)) != 0) {
		return cv_bfail(d, -1, "llc");
	}
	return CFG_OK;
}

/* The board's cpu_count and RAM must have been checked already. */
static enum cfg_err cv_board_gic_uart(const struct hv_board_desc *b,
				      struct cfg_diag *d)
{
	static const char *const props[CV_MAX_GIC_REGIONS] = {
		"gic/distributor", "gic/redistributors", "gic/virtual-control",
		"gic/virtual-cpu"
	};
	uint64_t base[CV_MAX_GIC_REGIONS], size[CV_MAX_GIC_REGIONS];
	int n;

	if (b->gic_version != HV_GIC_V2 && b->gic_version != HV_GIC_V3) {
		return cv_bfail(d, -1, "gic/version");
	}
	if (b->spi_count == 0 || b->spi_count > CV_MAX_SPIS) {
		return cv_bfail(d, -1, "gic/spi-count");
	}
	n = cv_gic_regions(b, base, size);
	for (int i = 0; i < n; i++) {
		if (!is_aligned(base[i], SZ_4K) ||
		    cv_overlaps_ram(b, base[i], size[i])) {
			/* For GICv2 region 1 is the CPU interface. */
			return cv_bfail(d, i,
					(i == 1 && n == 4) ? "gic/cpu-interface"
							   : props[i]);
		}
	}
	if (b->uart_kind != HV_UART_PL011 && b->uart_kind != HV_UART_CADENCE) {
		return cv_bfail(d, -1, "uart/compatible");
	}
	if (!is_aligned(b->uart_base, SZ_4K) ||
	    cv_overlaps_ram(b, b->uart_base, SZ_4K)) {
		return cv_bfail(d, -1, "uart/reg");
	}
	if (!cfg_is_spi(b, b->uart_irq)) {
		return cv_bfail(d, -1, "uart/interrupts");
	}
	return CFG_OK;
}

/** The board core whose PMU overflow SPI @irq is, or -1 (internal, also
 * used by bhcfg's messages). The cpu count is capped here. */
int cfg_pmu_spi_core(const struct hv_board_desc *b, uint32_t irq)
{
	for (uint32_t i = 0; i < b->cpu_count && i < HV_MAX_CPUS; i++) {
		if (irq != 0 && b->pmu_spis[i] == irq) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * The PMU's overflow interrupt (docs/isolation.md): none, one PPI
 * (pmu_irq), or one SPI per board core (pmu_spis), each an SPI of the
 * board that is no other core's, not the UART's and not an SMMU's. The
 * board's cpu count must have been checked.
 */
static enum cfg_err cv_board_pmu(const struct hv_board_desc *b,
				 struct cfg_diag *d)
{
	bool spis = b->pmu_spis[0] != 0;

	if (b->pmu_irq != 0 && (b->pmu_irq < 16 || b->pmu_irq > 31 || spis)) {
		return cv_bfail(d, -1, "pmu/interrupts");
	}
	for (uint32_t i = 0; i < HV_MAX_CPUS; i++) {
		uint32_t irq = b->pmu_spis[i];

		if (!spis || i >= b->cpu_count) {
			if (irq != 0) {
				return cv_bfail(d, (int)i, "pmu/interrupts");
			}
			continue;
		}
		if (!cfg_is_spi(b, irq) || irq == b->uart_irq ||
		    cfg_smmu_irq(b, irq) ||
		    cfg_pmu_spi_core(b, irq) != (int)i) {
			return cv_bfail(d, (int)i, "pmu/interrupts");
		}
	}
	return CFG_OK;
}

/**
 * True if the range hits RAM, the UART page or the GIC (internal, also used
 * by config_dma.c). The board's cpu_count must have been checked.
 */
bool cfg_board_clashes(const struct hv_board_desc *b, uint64_t base,
		       uint64_t size)
{
	uint64_t gbase[CV_MAX_GIC_REGIONS], gsize[CV_MAX_GIC_REGIONS];
	int n = cv_gic_regions(b, gbase, gsize);

	if (cv_overlaps_ram(b, base, size) ||
	    ranges_overlap(base, size, b->uart_base, SZ_4K)) {
		return true;
	}
	for (int i = 0; i < n; i++) {
		if (ranges_overlap(base, size, gbase[i], gsize[i])) {
			return true;
		}
	}
	return false;
}

/*
 * The board device names are HV_NAME_LEN-byte buffers inside struct
 * hv_board_device, which starts 8-byte aligned (it holds uint64_t fields).
 */
_Static_assert(HV_NAME_LEN % 8 == 0 &&
		       offsetof(struct hv_board_device, name) % 8 == 0,
	       "cv_name_words() reads board device names a word at a time");

/*
 * Is the name in the HV_NAME_LEN-byte buffer @s non-empty and NUL-terminated
 * within it (as cv_str_ok())? If so, also a 32-bit digest of its bytes
 * before the NUL into @digest: equal names have equal digests, so only
 * names with equal digests need comparing. A word at a time: each word,
 * the one holding the NUL with the bytes after the NUL cleared
 * (cv_upto_nul()), mixed in FNV-1a fashion, then the result folded; bytes
 * after the NUL never count. Aligned loads only (the MMU may be off); an unaligned
 * buffer, which struct hv_board_device never gives, is read byte by byte
 * into the same words.
 */
static bool cv_name_words(const char *s, uint32_t *digest)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < HV_NAME_LEN; i += 8) {
		uint64_t x = 0;
		uint64_t nul;

		if (((uintptr_t)s & 7) == 0) {
			x = *(const cv_word_t *)(const void *)(s + i);
		} else {
			for (unsigned k = 0; k < 8; k++) {
				x |= (uint64_t)(uint8_t)s[i + k] << (8 * k);
			}
		}
		nul = cv_upto_nul(x);
		h = (h ^ (nul != 0 ? x & nul : x)) * 1099511628211ULL;
		if (nul != 0) {
			/* The product's low bits see only the words' low
			 * bytes: fold the high half in before using any. */
			h ^= h >> 32;
			h *= 0x9e3779b97f4a7c15ULL;
			*digest = (uint32_t)(h >> 32);
			/* Empty if the NUL is the first byte. */
			return i != 0 || (x & 0xff) != 0;
		}
	}
	return false;
}

/* One bit per digest value modulo 256: which digests devices had so far. */
#define CV_DIGEST_BITS 256u

/*
 * Board device @i is well formed and named unlike devices 0..i-1, whose
 * name digests are in @digest[0..i-1] and marked in @seen; records its
 * own in @digest[i] and @seen. Only if its digest's bit is already set
 * can an earlier name be equal, and only then are the earlier devices
 * searched (for equal digests, then equal names).
 */
static bool cv_board_dev_ok(const struct hv_board_desc *b, uint32_t i,
			    uint32_t *digest, uint64_t *seen)
{
	const struct hv_board_device *dev = &b->devices[i];
	uint64_t rbase, rsize;
	uint32_t bit;

	if (!cv_name_words(dev->name, &digest[i])) {
		return false;
	}
	bit = digest[i] % CV_DIGEST_BITS;
	if (seen[bit / 64] & (1ULL << (bit % 64))) {
		for (uint32_t j = 0; j < i; j++) {
			if (digest[j] == digest[i] &&
			    cfg_streq(dev->name, b->devices[j].name,
				      HV_NAME_LEN)) {
				return false;
			}
		}
	}
	seen[bit / 64] |= 1ULL << (bit % 64);
	if (dev->reg_count == 0 || dev->reg_count > HV_MAX_DEV_REGS) {
		return false;
	}
	for (uint32_t k = 0; k < dev->reg_count; k++) {
		if (!cfg_page_round(dev->regs[k].base, dev->regs[k].size,
				   &rbase, &rsize) ||
		    cfg_board_clashes(b, rbase, rsize)) {
			return false;
		}
	}
	if (dev->irq_count > HV_MAX_DEV_IRQS) {
		return false;
	}
	for (uint32_t k = 0; k < dev->irq_count; k++) {
		uint32_t irq = dev->irqs[k];

		if (!cfg_is_spi(b, irq) || irq == b->uart_irq) {
			return false;
		}
	}
	return true;
}

static enum cfg_err cv_board(const struct hv_board_desc *b, struct cfg_diag *d)
{
	uint32_t digest[HV_MAX_BOARD_DEVICES];
	uint64_t seen[CV_DIGEST_BITS / 64] = { 0 };
	enum cfg_err e;

	if (!cv_str_ok(b->name, HV_NAME_LEN)) {
		return cv_bfail(d, -1, "model");
	}
	e = cv_board_cpus(b, d);
	e = e != CFG_OK ? e : cv_board_ram(b, d);
	e = e != CFG_OK ? e : cv_board_gic_uart(b, d);
	e = e != CFG_OK ? e : cv_board_pmu(b, d);
	if (e != CFG_OK) {
		return e;
	}
	if (b->device_count > HV_MAX_BOARD_DEVICES) {
		return cv_bfail(d, -1, "devices");
	}
	for (uint32_t i = 0; i < b->device_count; i++) {
		if (!cv_board_dev_ok(b, i, digest, seen)) {
			return cv_bfail(d, (int)i, "devices");
		}
	}
	return config_validate_board_dma(b, d);
}

static enum cfg_err cv_part_name(const struct hv_config *c, int p,
				 struct cfg_diag *d)
{
	const char *n = c->partitions[p].name;
	size_t len = cv_strnlen(n, HV_NAME_LEN);

	if (len == 0 || len == HV_NAME_LEN) {
		return cv_pfail(d, CFG_E_NAME, p, -1, "name");
	}
	for (size_t i = 0; i < len; i++) {
		if (!cv_name_char(n[i])) {
			return cv_pfail(d, CFG_E_NAME, p, (int)i, "name");
		}
	}
	for (int q = 0; q < p; q++) {
		if (cfg_streq(n, c->partitions[q].name, HV_NAME_LEN)) {
			return cfg_fail(d, CFG_E_NAME, p, q, -1, "name");
		}
	}
	return CFG_OK;
}

/* True if one of the first @n cores of partition @q is @core. */
static bool cv_has_core(const struct hv_partition_cfg *q, uint8_t core,
			uint32_t n)
{
	for (uint32_t j = 0; j < n && j < HV_MAX_CPUS; j++) {
		if (q->cpus[j] == core) {
			return true;
		}
	}
	return false;
}

static enum cfg_err cv_part_cpus(const struct hv_config *c, int p,
				 struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];

	if (pc->cpu_count == 0) {
		return cv_pfail(d, CFG_E_NO_CPUS, p, -1, "cpus");
	}
	if (pc->cpu_count > HV_MAX_CPUS) {
		return cv_pfail(d, CFG_E_CPU_NOT_ON_BOARD, p, -1, "cpus");
	}
	for (uint32_t i = 0; i < pc->cpu_count; i++) {
		uint8_t core = pc->cpus[i];

		if (core >= c->board.cpu_count) {
			return cv_pfail(d, CFG_E_CPU_NOT_ON_BOARD, p, (int)i,
					"cpus");
		}
		for (int q = 0; q <= p; q++) {
			const struct hv_partition_cfg *qc = &c->partitions[q];

			if (cv_has_core(qc, core, q == p ? i : qc->cpu_count)) {
				return cfg_fail(d, CFG_E_CPU_TWO_OWNERS, p, q,
					        (int)i, "cpus");
			}
		}
	}
	return CFG_OK;
}

/*
 * Cache colours (docs/isolation.md): only colours the board has, none
 * shared with another coloured partition.
 */
static enum cfg_err cv_part_colours(const struct hv_config *c, int p,
				    struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	uint32_t n = c->board.llc_colours;

	if (pc->colours == 0) {
		return CFG_OK;
	}
	if (n == 0 || (n < HV_MAX_COLOURS && (pc->colours >> n) != 0)) {
		return cv_pfail(d, CFG_E_COLOUR_NOT_ON_BOARD, p, -1,
				"cache-colours");
	}
	for (int q = 0; q < p; q++) {
		if ((c->partitions[q].colours & pc->colours) != 0) {
			return cfg_fail(d, CFG_E_COLOUR_OVERLAP, p, q, -1,
				        "cache-colours");
		}
	}
	return CFG_OK;
}

/*
 * A coloured partition's RAM is physically scattered: a device that DMAs
 * with guest-physical addresses reaches it only through an SMMU.
 */
static enum cfg_err cv_part_colour_dma(const struct hv_config *c, int p,
				       struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	int i;

	if (pc->colours == 0) {
		return CFG_OK;
	}
	i = cfg_part_unprotected_master(&c->board, pc);
	if (i >= 0 || (pc->flags & HV_PART_DMA_UNPROTECTED) != 0) {
		return cfg_fail(d, CFG_E_COLOUR_DMA, p, -1, i,
				i >= 0 ? "devices" : "dma-unprotected");
	}
	return CFG_OK;
}

/*
 * Memory-bandwidth regulation (docs/isolation.md): a budget of 1 to 2^31
 * events (the EL2 counter is preset to 2^32 - budget), a period of 100 us
 * to 1 s, a common event (PMCEID0/1_EL0 range), not "pmu" as well, and a
 * board that describes the PMU's overflow interrupt (a PPI, or one SPI
 * per core: cv_board_pmu() checked which).
 */
static enum cfg_err cv_part_regulation(const struct hv_config *c, int p,
				       struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	uint32_t irq = c->board.pmu_irq;

	if (pc->mem_budget == 0 && pc->mem_period_us == 0) {
		return CFG_OK;
	}
	if (pc->mem_budget == 0 || pc->mem_budget > HV_MEM_BUDGET_MAX) {
		return cv_pfail(d, CFG_E_REGULATION, p, -1, "memory-budget");
	}
	if (pc->mem_period_us < HV_MEM_PERIOD_MIN_US ||
	    pc->mem_period_us > HV_MEM_PERIOD_MAX_US) {
		return cv_pfail(d, CFG_E_REGULATION, p, -1,
				"memory-period-us");
	}
	if (pc->mem_event != HV_MEM_EVENT_AUTO &&
	    (pc->mem_event == 0 || pc->mem_event > HV_MEM_EVENT_MAX)) {
		return cv_pfail(d, CFG_E_REGULATION, p, -1, "memory-event");
	}
	if ((pc->flags & HV_PART_PMU) != 0) {
		return cv_pfail(d, CFG_E_REGULATION, p, -1, "pmu");
	}
	if ((irq < 16 || irq > 31) && c->board.pmu_spis[0] == 0) {
		return cv_pfail(d, CFG_E_REGULATION, p, -1, "memory-budget");
	}
	return CFG_OK;
}

static enum cfg_err cv_part_ram(const struct hv_config *c, int p,
				struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	const struct hv_board_desc *b = &c->board;
	static const char *const props[3] = { "memory-size", "memory-base",
					      "guest-base" };
	const uint64_t vals[3] = { pc->ram_size, pc->ram_pa, pc->ram_ipa };
	uint64_t align = (pc->flags & HV_PART_RAM_NO_BLOCKS) ? SZ_4K : SZ_2M;
	/* Coloured RAM: 4 KiB pages, the span aligned to a colour period. */
	uint64_t span = colour_part_span(pc, b);
	bool on_board = false;

	if (pc->ram_size == 0) {
		return cv_pfail(d, CFG_E_MEM_ZERO, p, -1, "memory-size");
	}
	for (int k = 0; k < 3; k++) {
		uint64_t a = !colour_part(pc) ? align
			     : k == 1	      ? colour_period(b->llc_colours)
					      : SZ_4K;

		if (!is_aligned(vals[k], a)) {
			return cv_pfail(d, CFG_E_UNALIGNED, p, -1, props[k]);
		}
	}
	for (uint32_t i = 0; i < b->ram_count && i < HV_MAX_RAM_BANKS; i++) {
		if (!cfg_wraps(pc->ram_pa, span) &&
		    range_within(pc->ram_pa, span, b->ram[i].base,
				 b->ram[i].size)) {
			on_board = true;
		}
	}
	if (!on_board || span == 0) {
		return cv_pfail(d, CFG_E_MEM_NOT_ON_BOARD, p, -1,
				"memory-base");
	}
	if (ranges_overlap(pc->ram_pa, span, b->hv_base, b->hv_size)) {
		return cv_pfail(d, CFG_E_OVERLAPS_HV, p, -1, "memory-base");
	}
	for (int q = 0; q < p; q++) {
		const struct hv_partition_cfg *qc = &c->partitions[q];

		/* Two coloured partitions have no colour in common
		 * (cv_part_colours): their spans may interleave. */
		if ((!colour_part(pc) || !colour_part(qc)) &&
		    ranges_overlap(pc->ram_pa, span, qc->ram_pa,
				   colour_part_span(qc, b))) {
			return cfg_fail(d, CFG_E_MEM_OVERLAP, p, q, -1,
				        "memory-base");
		}
	}
	if (cfg_wraps(pc->ram_ipa, pc->ram_size) ||
	    pc->ram_ipa + pc->ram_size > CV_IPA_LIMIT) {
		return cv_pfail(d, CFG_E_IPA_RANGE, p, -1, "guest-base");
	}
	return CFG_OK;
}

/* True if the blob lies inside RAM of @ram_size bytes. */
static bool cv_blob_in_ram(const struct hv_blob *bl, uint64_t ram_size)
{
	return !cfg_wraps(bl->offset, bl->size) &&
	       range_within(bl->offset, bl->size, 0, ram_size);
}

static bool cv_blobs_overlap(const struct hv_blob *a, const struct hv_blob *b)
{
	return ranges_overlap(a->offset, a->size, b->offset, b->size);
}

/* Image, DTB and initrd inside RAM and apart; the entry inside the image. */
static enum cfg_err cv_part_blobs(const struct hv_config *c, int p,
				  struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];

	if (pc->image.size == 0) {
		return cv_pfail(d, CFG_E_NO_IMAGE, p, -1, "image");
	}
	if (!cv_blob_in_ram(&pc->image, pc->ram_size)) {
		return cv_pfail(d, CFG_E_IMAGE_TOO_BIG, p, -1, "image");
	}
	if (pc->dtb.size != 0 && !cv_blob_in_ram(&pc->dtb, pc->ram_size)) {
		return cv_pfail(d, CFG_E_IMAGE_TOO_BIG, p, -1, "memory-size");
	}
	if (pc->initrd.size != 0 &&
	    !cv_blob_in_ram(&pc->initrd, pc->ram_size)) {
		return cv_pfail(d, CFG_E_IMAGE_TOO_BIG, p, -1, "initrd");
	}
	if (cv_blobs_overlap(&pc->image, &pc->dtb) ||
	    cv_blobs_overlap(&pc->image, &pc->initrd)) {
		return cv_pfail(d, CFG_E_IMAGE_TOO_BIG, p, -1, "image");
	}
	if (cv_blobs_overlap(&pc->initrd, &pc->dtb)) {
		return cv_pfail(d, CFG_E_IMAGE_TOO_BIG, p, -1, "initrd");
	}
	if (pc->entry_offset < pc->image.offset ||
	    pc->entry_offset - pc->image.offset >= pc->image.size) {
		return cv_pfail(d, CFG_E_ENTRY, p, -1, "entry-offset");
	}
	return CFG_OK;
}

/*
 * True if @dev lies inside the page-rounded range of one region of some
 * board device. The board's counts have been checked.
 */
/**
 * True if a region of a board device, rounded out to whole pages, holds
 * all of [base, base + size) (@whole) or shares a page with it (internal,
 * also used by config_dma.c). The board's devices must have been checked.
 */
bool cfg_board_dev_hit(const struct hv_board_desc *b, uint64_t base,
		       uint64_t size, bool whole)
{
	for (uint32_t i = 0; i < b->device_count; i++) {
		const struct hv_board_device *bd = &b->devices[i];

		for (uint32_t k = 0; k < bd->reg_count; k++) {
			uint64_t rbase, rsize;

			if (cfg_page_round(bd->regs[k].base, bd->regs[k].size,
					  &rbase, &rsize) &&
			    (whole ? range_within(base, size, rbase, rsize)
				   : ranges_overlap(base, size, rbase, rsize))) {
				return true;
			}
		}
	}
	return false;
}

/* Range rules for device @i of partition @p. */
static enum cfg_err cv_dev_range(const struct hv_config *c, int p, int i,
				 struct cfg_diag *d)
{
	const struct hv_device *dev = &c->partitions[p].devices[i];

	if (dev->size == 0 || !is_aligned(dev->pa, SZ_4K) ||
	    !is_aligned(dev->ipa, SZ_4K) || !is_aligned(dev->size, SZ_4K)) {
		return cv_pfail(d, CFG_E_UNALIGNED, p, i, "devices");
	}
	if (!cv_str_ok(dev->name, HV_NAME_LEN) ||
	    cfg_wraps(dev->pa, dev->size)) {
		return cv_pfail(d, CFG_E_DEV_NOT_ON_BOARD, p, i, "devices");
	}
	if (ranges_overlap(dev->pa, dev->size, c->board.hv_base,
			   c->board.hv_size)) {
		return cv_pfail(d, CFG_E_OVERLAPS_HV, p, i, "devices");
	}
	if (cfg_smmu_range(&c->board, dev->pa, dev->size)) {
		return cv_pfail(d, CFG_E_SMMU_OWNED, p, i, "devices");
	}
	if (!cfg_board_dev_hit(&c->board, dev->pa, dev->size, true)) {
		return cv_pfail(d, CFG_E_DEV_NOT_ON_BOARD, p, i, "devices");
	}
	if (cfg_wraps(dev->ipa, dev->size) ||
	    dev->ipa + dev->size > CV_IPA_LIMIT) {
		return cv_pfail(d, CFG_E_IPA_RANGE, p, i, "devices");
	}
	for (int q = 0; q <= p; q++) {
		const struct hv_partition_cfg *qc = &c->partitions[q];
		uint32_t n = q == p ? (uint32_t)i : qc->device_count;

		for (uint32_t j = 0; j < n; j++) {
			if (ranges_overlap(dev->pa, dev->size,
					   qc->devices[j].pa,
					   qc->devices[j].size)) {
				return cfg_fail(d, CFG_E_DEV_TWO_OWNERS, p, q, i,
					        "devices");
			}
		}
	}
	return CFG_OK;
}

/*
 * True if partition @pc owns @irq in a device before device @dev_end, or in
 * device @dev_end before interrupt index @irq_end. Counts are valid.
 */
static bool cv_part_has_irq(const struct hv_partition_cfg *pc, uint32_t irq,
			    uint32_t dev_end, uint32_t irq_end)
{
	for (uint32_t i = 0; i <= dev_end && i < pc->device_count; i++) {
		const struct hv_device *dev = &pc->devices[i];
		uint32_t n = i == dev_end ? irq_end : dev->irq_count;

		for (uint32_t k = 0; k < n && k < HV_MAX_DEV_IRQS; k++) {
			if (dev->irqs[k] == irq) {
				return true;
			}
		}
	}
	return false;
}

/* Interrupt rules for device @i of partition @p. */
static enum cfg_err cv_dev_irqs(const struct hv_config *c, int p, int i,
				struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	const struct hv_device *dev = &pc->devices[i];

	if (dev->irq_count > HV_MAX_DEV_IRQS) {
		return cv_pfail(d, CFG_E_IRQ_NOT_ON_BOARD, p, i, "devices");
	}
	for (uint32_t k = 0; k < dev->irq_count; k++) {
		uint32_t irq = dev->irqs[k];

		if (!cfg_is_spi(&c->board, irq)) {
			return cv_pfail(d, CFG_E_IRQ_NOT_ON_BOARD, p, i,
					"devices");
		}
		if (irq == c->board.uart_irq) {
			/* The hypervisor owns its console's interrupt. */
			return cv_pfail(d, CFG_E_IRQ_TWO_OWNERS, p, i,
					"devices");
		}
		if (cfg_pmu_spi_core(&c->board, irq) >= 0) {
			/* The hypervisor owns the PMU's overflow SPIs. */
			return cv_pfail(d, CFG_E_IRQ_TWO_OWNERS, p, i,
					"devices");
		}
		if (cfg_smmu_irq(&c->board, irq)) {
			/* The hypervisor owns its SMMU's interrupts. */
			return cv_pfail(d, CFG_E_SMMU_OWNED, p, i, "devices");
		}
		for (int q = 0; q <= p; q++) {
			const struct hv_partition_cfg *qc = &c->partitions[q];
			uint32_t n = q == p ? (uint32_t)i : qc->device_count;

			if (cv_part_has_irq(qc, irq, n, k)) {
				return cfg_fail(d, CFG_E_IRQ_TWO_OWNERS, p, q, i,
					        "devices");
			}
		}
	}
	return CFG_OK;
}

static enum cfg_err cv_part_devices(const struct hv_config *c, int p,
				    struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];

	if (pc->device_count > HV_MAX_DEVICES) {
		return cv_pfail(d, CFG_E_DEV_NOT_ON_BOARD, p, -1, "devices");
	}
	for (uint32_t i = 0; i < pc->device_count; i++) {
		enum cfg_err e = cv_dev_range(c, p, (int)i, d);

		e = e != CFG_OK ? e : cv_dev_irqs(c, p, (int)i, d);
		if (e != CFG_OK) {
			return e;
		}
	}
	return CFG_OK;
}

/** System-description property of each event's policy (docs/config.md). */
const char *const config_event_props[HV_EVENTS] = {
	[HV_EV_TRAP] = "on-trap",
	[HV_EV_STAGE2] = "on-stage2-fault",
	[HV_EV_WATCHDOG] = "on-watchdog",
	[HV_EV_SYSRESET] = "on-system-reset",
	[HV_EV_SYSOFF] = "on-system-off",
};

/*
 * A known policy per event; "inject" only where there is something to
 * inject (not for a PSCI call that asked for a reset or power-off); the
 * monitored partitions exist.
 */
static enum cfg_err cv_part_policy(const struct hv_config *c, int p,
				   struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];

	for (int k = 0; k < HV_EVENTS; k++) {
		uint8_t pol = pc->policy[k];

		if (pol >= HV_FAULT_POLICIES ||
		    (pol == HV_FAULT_INJECT &&
		     (k == HV_EV_SYSRESET || k == HV_EV_SYSOFF))) {
			return cv_pfail(d, CFG_E_POLICY, p, k,
					config_event_props[k]);
		}
	}
	if (c->partition_count < 32 &&
	    (pc->monitor_mask >> c->partition_count) != 0) {
		return cv_pfail(d, CFG_E_MONITOR, p, -1, "monitor");
	}
	return CFG_OK;
}

/** Number of partitions @pc may monitor (bits of its monitor mask). */
static uint64_t cv_monitor_pages(const struct hv_partition_cfg *pc)
{
	return (uint64_t)__builtin_popcount(pc->monitor_mask);
}

/* RAM, devices and emulated windows apart in the partition's IPA space. */
static enum cfg_err cv_part_ipa(const struct hv_config *c, int p,
				struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	bool v3 = c->board.gic_version == HV_GIC_V3;
	/* The emulated GICD, GICR (v3) or GICC (v2), UART and watchdog
	 * windows, and the monitor pages (size 0 when it monitors none). */
	const uint64_t wbase[5] = { HV_GUEST_GICD_IPA,
				    v3 ? HV_GUEST_GICR_IPA : HV_GUEST_GICC_IPA,
				    HV_GUEST_UART_IPA, HV_GUEST_WDOG_IPA,
				    HV_GUEST_MONITOR_IPA };
	const uint64_t wsize[5] = { HV_GUEST_GICD_SIZE,
				    v3 ? HV_GUEST_GICR_STRIDE * pc->cpu_count
				       : HV_GUEST_GICC_SIZE,
				    HV_GUEST_UART_SIZE, HV_GUEST_WDOG_SIZE,
				    cv_monitor_pages(pc) * HV_GUEST_MONITOR_PAGE };
	const int n = 5;

	for (int w = 0; w < n; w++) {
		if (ranges_overlap(pc->ram_ipa, pc->ram_size, wbase[w],
				   wsize[w])) {
			return cv_pfail(d, CFG_E_IPA_OVERLAP, p, -1,
					"guest-base");
		}
	}
	for (uint32_t i = 0; i < pc->device_count; i++) {
		const struct hv_device *dev = &pc->devices[i];
		bool clash = ranges_overlap(dev->ipa, dev->size, pc->ram_ipa,
					    pc->ram_size);

		for (int w = 0; w < n; w++) {
			clash = clash || ranges_overlap(dev->ipa, dev->size,
							wbase[w], wsize[w]);
		}
		for (uint32_t j = 0; j < i; j++) {
			clash = clash || ranges_overlap(dev->ipa, dev->size,
							pc->devices[j].ipa,
							pc->devices[j].size);
		}
		if (clash) {
			return cv_pfail(d, CFG_E_IPA_OVERLAP, p, (int)i,
					"devices");
		}
	}
	return CFG_OK;
}

static enum cfg_err cv_partition(const struct hv_config *c, int p,
				 struct cfg_diag *d)
{
	enum cfg_err e = cv_part_name(c, p, d);

	/* Each step runs only if all before it passed. */
	e = e != CFG_OK ? e : cv_part_cpus(c, p, d);
	e = e != CFG_OK ? e : cv_part_policy(c, p, d);
	e = e != CFG_OK ? e : cv_part_colours(c, p, d);
	e = e != CFG_OK ? e : cv_part_regulation(c, p, d);
	e = e != CFG_OK ? e : cv_part_ram(c, p, d);
	e = e != CFG_OK ? e : cv_part_blobs(c, p, d);
	e = e != CFG_OK ? e : cv_part_devices(c, p, d);
	e = e != CFG_OK ? e : cv_part_ipa(c, p, d);
	e = e != CFG_OK ? e : cv_part_colour_dma(c, p, d);
	return e != CFG_OK ? e : config_validate_part_dma(c, p, d);
}

/* The blobs are embedded in the hypervisor image: they must fit with it. */
static enum cfg_err cv_hv_size(const struct hv_config *c, struct cfg_diag *d)
{
	uint64_t need = HV_IMAGE_OVERHEAD +
			(hv_pt_pool_count(c) - HV_PT_POOL_PAGES) * SZ_4K;

	for (uint32_t p = 0; p < c->partition_count; p++) {
		const struct hv_partition_cfg *pc = &c->partitions[p];

		need = cv_add_pages(need, pc->image.size);
		need = cv_add_pages(need, pc->dtb.size);
		need = cv_add_pages(need, pc->initrd.size);
	}
	if (need > c->board.hv_size) {
		return cfg_fail(d, CFG_E_HV_TOO_SMALL, -1, -1, -1,
			        "memory-size");
	}
	return CFG_OK;
}

static enum cfg_err cv_all(const struct hv_config *c, struct cfg_diag *d)
{
	enum cfg_err e;

	if (c->magic != HV_CONFIG_MAGIC || c->version != HV_CONFIG_VERSION) {
		return cfg_fail(d, CFG_E_BAD_MAGIC, -1, -1, -1, NULL);
	}
	e = cv_board(&c->board, d);
	if (e != CFG_OK) {
		return e;
	}
	if (c->partition_count == 0 || c->partition_count > HV_MAX_PARTITIONS) {
		return cfg_fail(d, CFG_E_NO_PARTITIONS, -1, -1, -1,
			        "partitions");
	}
	for (uint32_t p = 0; p < c->partition_count; p++) {
		e = cv_partition(c, (int)p, d);
		if (e != CFG_OK) {
			return e;
		}
	}
	e = config_validate_channels(c, d);
	return e != CFG_OK ? e : cv_hv_size(c, d);
}

/**
 * Checks every rule of docs/config.md on @c, in the documented order, and
 * returns the first violation (CFG_OK if none). @c is untrusted: counts,
 * strings and ranges are checked before use. @diag, if not NULL, receives
 * the code, the partition (and other partition for two-owner rules), the
 * item index and the property name; unused fields are -1 or NULL.
 * Pure: no side effects besides @diag, usable at boot and on the host.
 */
enum cfg_err config_validate(const struct hv_config *c, struct cfg_diag *diag)
{
	struct cfg_diag local = { CFG_OK, -1, -1, -1, NULL };
	struct cfg_diag *d = diag != NULL ? diag : &local;

	cfg_fail(d, CFG_OK, -1, -1, -1, NULL);
	return cv_all(c, d);
}

/* One line per code; indexed by enum cfg_err. */
static const char *const cv_messages[CFG_E_COUNT] = {
	[CFG_OK] = "no error",
	[CFG_E_BAD_MAGIC] = "configuration table has a wrong magic or version",
	[CFG_E_BOARD] = "board description is inconsistent",
	[CFG_E_NO_PARTITIONS] = "no partitions, or more than the maximum",
	[CFG_E_NAME] =
		"partition name is empty, too long, has characters other than [A-Za-z0-9_-] or is used twice",
	[CFG_E_NO_CPUS] = "partition has no core",
	[CFG_E_CPU_NOT_ON_BOARD] = "core does not exist on the board",
	[CFG_E_CPU_TWO_OWNERS] =
		"core is given to two partitions or listed twice",
	[CFG_E_UNALIGNED] =
		"address or size is not aligned (RAM: 2 MiB, or 4 KiB with memory-no-blocks; devices: 4 KiB)",
	[CFG_E_MEM_ZERO] = "partition RAM size is zero",
	[CFG_E_MEM_NOT_ON_BOARD] =
		"partition RAM is not inside one board RAM bank",
	[CFG_E_MEM_OVERLAP] =
		"partition RAM overlaps the RAM of another partition",
	[CFG_E_OVERLAPS_HV] = "range overlaps the hypervisor's memory region",
	[CFG_E_IPA_RANGE] =
		"guest-physical range is beyond the guest address space",
	[CFG_E_IPA_OVERLAP] =
		"two ranges overlap in the partition's guest-physical address space",
	[CFG_E_NO_IMAGE] = "partition image is missing or empty",
	[CFG_E_IMAGE_TOO_BIG] =
		"image, device tree or initrd does not fit in the partition's RAM, or they overlap",
	[CFG_E_ENTRY] = "entry point is outside the image",
	[CFG_E_DEV_NOT_ON_BOARD] = "device range is not a device of the board",
	[CFG_E_DEV_TWO_OWNERS] =
		"device is given to two partitions or listed twice",
	[CFG_E_IRQ_NOT_ON_BOARD] = "interrupt is not an SPI of the board",
	[CFG_E_IRQ_TWO_OWNERS] =
		"interrupt is given twice (or is the hypervisor's UART interrupt)",
	[CFG_E_POLICY] =
		"unknown policy, or \"inject\" for a PSCI reset or power-off",
	[CFG_E_MONITOR] = "monitor names a partition that does not exist",
	[CFG_E_SMMU_OWNED] =
		"range or interrupt belongs to the hypervisor's SMMU",
	[CFG_E_PCI_HOST] =
		"PCIe host bridge must be given whole (ECAM, memory and I/O windows) at guest address = physical address",
	[CFG_E_DMA_UNPROTECTED] =
		"bus master with no SMMU in front of it given to a partition not marked dma-unprotected",
	[CFG_E_DMA_STALE] =
		"partition is marked dma-unprotected but owns no bus master without an SMMU",
	[CFG_E_SID] =
		"StreamID range is invalid or is not exactly that of a bus master the partition owns",
	[CFG_E_SID_TWO_OWNERS] =
		"StreamID range overlaps another range on the same SMMU",
	[CFG_E_SID_MISSING] =
		"bus master behind an SMMU is given without its StreamIDs",
	[CFG_E_HV_TOO_SMALL] =
		"embedded images and the hypervisor do not fit the hypervisor region",
	[CFG_E_CHAN_COUNT] = "partition has more than 4 channel ends",
	[CFG_E_CHAN_NAME] =
		"channel name is empty, too long, has characters other than [A-Za-z0-9_-] or is used twice",
	[CFG_E_CHAN_ACCESS] =
		"channel access is unknown, or neither end may write",
	[CFG_E_CHAN_PEER] =
		"the two ends of a channel do not name each other or disagree on the name, region or doorbell interval",
	[CFG_E_CHAN_DOORBELL] =
		"channel doorbell-min-interval-us is more than 1000000 (1 s)",
	[CFG_E_COLOUR_NOT_ON_BOARD] =
		"cache colour the board does not have (or the board describes no last-level cache)",
	[CFG_E_COLOUR_OVERLAP] =
		"cache colour given to two coloured partitions",
	[CFG_E_COLOUR_DMA] =
		"coloured partition owns a bus master no SMMU translates (its RAM is not physically contiguous)",
	[CFG_E_REGULATION] =
		"memory budget or period out of range, event not a common PMU event, the PMU also given, or the board has no PMU interrupt",
};

/**
 * Returns a one-line English description of @e; never NULL, also for
 * out-of-range values.
 */
const char *cfg_strerror(enum cfg_err e)
{
	if ((unsigned int)e >= (unsigned int)CFG_E_COUNT ||
	    cv_messages[e] == NULL) {
		return "unknown configuration error";
	}
	return cv_messages[e];
}
