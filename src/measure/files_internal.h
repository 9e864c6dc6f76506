/* The analyses of files (`analyze KIND --matrix F ...`) that have not yet
 * been folded into the analysis that also runs on snapshots: each writes
 * one JSON object into w. Not a public header. */
#ifndef NEUROTOP_MEASURE_FILES_INTERNAL_H
#define NEUROTOP_MEASURE_FILES_INTERNAL_H

#include "neurotop/core/json.h"
#include "neurotop/measure/params.h"

typedef Status (*FilesFn)(const AnalysisArgs *args, JsonWriter *w, char *msg);

Status analyze_pca(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_mi(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_permtest(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_emd(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_assign(const AnalysisArgs *args, JsonWriter *w, char *msg);

#endif
