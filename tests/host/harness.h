/* SPDX-License-Identifier: MIT */
/*
 * A small C unit-test harness. TEST(suite, name) registers a test through a
 * linker section, so adding a test needs no list edits. Tests are built with
 * the host compiler and AddressSanitizer/UndefinedBehaviorSanitizer.
 */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct harness_test {
	const char *suite;
	const char *name;
	void (*fn)(int *failed);
};

#define TEST(suite, name)                                                    \
	static void test_##suite##_##name(int *harness_failed);             \
	static const struct harness_test harness_reg_##suite##_##name        \
		__attribute__((used, section("harness_tests"), aligned(8))) = { \
			#suite, #name, test_##suite##_##name                 \
		};                                                           \
	static void test_##suite##_##name(int *harness_failed)

void harness_report(const char *file, int line, const char *what);

/* EXPECT_* record a failure and go on; ASSERT_* also leave the test. */
#define HARNESS_CHECK(cond, text, on_fail)                        \
	do {                                                      \
		if (!(cond)) {                                    \
			harness_report(__FILE__, __LINE__, text); \
			*harness_failed = 1;                      \
			on_fail;                                  \
		}                                                 \
	} while (0)

#define HARNESS_CMP(a, op, b, on_fail)                                        \
	do {                                                                  \
		uint64_t harness_a = (uint64_t)(a), harness_b = (uint64_t)(b); \
		if (!(harness_a op harness_b)) {                              \
			char harness_msg[256];                                \
			snprintf(harness_msg, sizeof(harness_msg),            \
				 "%s %s %s (0x%" PRIx64 " vs 0x%" PRIx64 ")", \
				 #a, #op, #b, harness_a, harness_b);          \
			harness_report(__FILE__, __LINE__, harness_msg);      \
			*harness_failed = 1;                                  \
			on_fail;                                              \
		}                                                             \
	} while (0)

#define EXPECT_TRUE(c) HARNESS_CHECK((c), #c, (void)0)
#define ASSERT_TRUE(c) HARNESS_CHECK((c), #c, return)
#define EXPECT_EQ(a, b) HARNESS_CMP(a, ==, b, (void)0)
#define ASSERT_EQ(a, b) HARNESS_CMP(a, ==, b, return)
#define EXPECT_NE(a, b) HARNESS_CMP(a, !=, b, (void)0)
#define EXPECT_STREQ(a, b) \
	HARNESS_CHECK(strcmp((a), (b)) == 0, #a " == " #b, (void)0)

#endif /* TESTS_HARNESS_H */
