/* Regression tests of the hardening of the readers: the .npy header bound,
 * the byte-order mark, non-regular files, and the message sanitiser. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/core/nts.h"
#include "neurotop/core/sanitize.h"
#include "support/support.h"

TestSuite(harden, .init = support_tmp_init, .fini = support_tmp_fini);

/* A version-1 .npy whose header text is hdr (no padding, no data). */
static void write_npy_header(const char *path, const char *hdr)
{
    size_t n = strlen(hdr);
    char buf[128];
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (char)(n & 0xff);
    buf[9] = (char)(n >> 8);
    memcpy(buf + 10, hdr, n);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(buf, 1, 10 + n, f), 10 + n);
    fclose(f);
}

/* The header ends right after 'descr':' — the reader used to read the byte
 * order and kind 1-2 bytes past its buffer (ASan: heap-buffer-overflow). */
Test(harden, npy_header_cut_after_descr_quote)
{
    const char *cuts[] = {"{'fortran_order': False, 'shape': (2,), 'descr': '",
                          "{'fortran_order': False, 'shape': (2,), 'descr': '<",
                          "{'fortran_order': False, 'shape': (2,), 'descr': '<f"};
    for (size_t i = 0; i < 3; i++) {
        const char *path = support_tmp_path("cut.npy");
        write_npy_header(path, cuts[i]);
        Matrix *m = NULL;
        char msg[STATUS_MSG_LEN] = "";
        cr_assert_eq(npy_read_matrix(path, &m, msg), ST_EFORMAT);
        cr_assert_null(m);
        cr_assert(strstr(msg, "cut short") && strstr(msg, path), "%s", msg);
    }
}

/* A spreadsheet's CSV starts with EF BB BF: it is invisible, so it must not
 * make the first cell "not a number". */
Test(harden, csv_and_labels_accept_a_byte_order_mark)
{
    Matrix *m = NULL;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(csv_parse_matrix("\xEF\xBB\xBF" "0,1.5\n2,3\n", "bom.csv", &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(m->rows, 2);
    cr_assert_eq(m->cols, 2);
    cr_assert_float_eq(MAT_AT(m, 0, 0), 0.0, 0);
    cr_assert_float_eq(MAT_AT(m, 0, 1), 1.5, 0);
    matrix_free(m);
    const char *path = support_tmp_path("bom.txt");
    support_write_file(path, "\xEF\xBB\xBF" "3\n1\n", 8);
    long *lab = NULL;
    size_t n = 0;
    cr_assert_eq(labels_read_file(path, &lab, &n, msg), ST_OK, "%s", msg);
    cr_assert_eq(n, 2);
    cr_assert_eq(lab[0], 3);
    cr_assert_eq(lab[1], 1);
    free(lab);
    /* A BOM elsewhere is still a wrong byte. */
    cr_assert_eq(csv_parse_matrix("1\n\xEF\xBB\xBF" "2\n", "mid.csv", &m, msg), ST_EFORMAT);
}

static void on_alarm(int sig)
{
    (void)sig;
    _exit(99); /* blocked: the test fails with exit 99 */
}

/* A FIFO where a file is expected used to block for ever (no writer). */
Test(harden, fifo_and_folder_are_refused_without_blocking)
{
    signal(SIGALRM, on_alarm);
    alarm(10);
    const char *fifo = support_tmp_path("pipe.csv");
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    char msg[STATUS_MSG_LEN] = "";
    char *text = NULL;
    cr_assert_eq(file_read_all(fifo, 1 << 20, &text, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "FIFO") && strstr(msg, fifo), "%s", msg);
    Matrix *m = NULL;
    cr_assert_eq(matrix_read_file(fifo, &m, msg), ST_EINVAL);
    NtsFile *f = NULL;
    cr_assert_neq(nts_open(fifo, &f, msg), ST_OK);
    cr_assert(strstr(msg, "FIFO"), "%s", msg);
    cr_assert_eq(file_read_all(support_tmp(), 1 << 20, &text, NULL, msg), ST_EINVAL);
    cr_assert(strstr(msg, "is a folder"), "%s", msg);
    cr_assert_eq(file_read_all(support_tmp_path("missing"), 1 << 20, &text, NULL, msg), ST_EIO);
    alarm(0);
}

/* Bytes of a file quoted in a message never reach the terminal raw. */
Test(harden, messages_escape_control_characters)
{
    char msg[STATUS_MSG_LEN];
    Matrix *m = NULL;
    cr_assert_eq(csv_parse_matrix("1,\x1b]0;pwned\x07\n", "evil.csv", &m, msg), ST_EFORMAT);
    cr_assert(text_is_clean(msg), "%s", msg);
    cr_assert(strstr(msg, "\\x1b]0;pwned\\x07"), "%s", msg);
    status_fail(msg, ST_EINVAL, "a%sb", "\r\n\t\x7f\xc2\x9b" "c\xff");
    cr_assert_str_eq(msg, "a\\x0d\\x0a\\x09\\x7f\\xc2\\x9bc\\xffb");
    /* Printable UTF-8 stays as it is. */
    status_fail(msg, ST_EINVAL, "%s", "épreuve → ok ✓");
    cr_assert_str_eq(msg, "épreuve → ok ✓");
    /* Never cut an escape or a character in half. */
    char small[7];
    cr_assert_eq(text_sanitize("ab\x1b" "c", small, sizeof small), 6);
    cr_assert_str_eq(small, "ab\\x1b");
    cr_assert_eq(text_sanitize("ab\x1b" "c", small, 6), 2);
    cr_assert_eq(text_sanitize("abcd→", small, 7), 4);
}
