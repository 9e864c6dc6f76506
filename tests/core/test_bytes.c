#include <criterion/criterion.h>

#include "neurotop/core/bytes.h"

Test(bytes, little_endian_by_hand)
{
    unsigned char b[8];
    bytes_put_le32(b, 0x12345678u);
    cr_assert(b[0] == 0x78 && b[1] == 0x56 && b[2] == 0x34 && b[3] == 0x12);
    cr_assert_eq(bytes_le32(b), 0x12345678u);
    cr_assert_eq(bytes_le16(b), 0x5678);
    bytes_put_le64(b, 0x0102030405060708ull);
    cr_assert(b[0] == 0x08 && b[7] == 0x01);
    cr_assert_eq(bytes_le64(b), 0x0102030405060708ull);
}

Test(bytes, crc32_of_the_check_string)
{
    /* The CRC-32 check value of "123456789" (ISO-HDLC). */
    cr_assert_eq(bytes_crc32("123456789", 9), 0xCBF43926u);
    cr_assert_eq(bytes_crc32("", 0), 0u);
}
