#ifndef NEUROTOP_EXPERIMENT_SUMMARY_TABLE_H
#define NEUROTOP_EXPERIMENT_SUMMARY_TABLE_H

/* A numeric CSV table read back whole: the summary.csv of a batch of
 * instances (cli/instances.h writes it: a header line of column names, then
 * one row per instance and epoch, an empty cell for an undefined value),
 * which the cohort reproductions analyse. Cells are doubles; an empty cell
 * is NaN. */

#include <stddef.h>

#include "neurotop/core/status.h"

/* The table's file name inside a batch folder. */
#define SUMMARY_TABLE_NAME "summary.csv"

typedef struct {
    size_t rows, cols;
    char **names;   /* cols column names */
    double *v;      /* rows × cols, NaN for an empty cell */
} SummaryTable;

/* Read a summary CSV (header of names, then numeric cells; empty = NaN;
 * "\r\n" line ends and blank lines are accepted) into t (caller-owned:
 * summary_table_done). ST_ENOTFOUND when the file is missing, ST_EFORMAT
 * naming the line for a malformed file, ST_ENOMEM; on an error t is empty.
 * Time and memory O(file size). */
Status summary_table_read(const char *path, SummaryTable *t, char *msg);

/* Free the table and empty it; safe on an empty table and twice. */
void summary_table_done(SummaryTable *t);

/* Column index of name, or -1. O(cols). */
int summary_table_column(const SummaryTable *t, const char *name);

#endif
