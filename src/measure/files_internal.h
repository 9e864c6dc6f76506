/* The analyses of files (`analyze KIND --matrix F ...`) that have not yet
 * been folded into the analysis that also runs on snapshots: each writes
 * one JSON object into w. Not a public header. */
#ifndef NEUROTOP_MEASURE_FILES_INTERNAL_H
#define NEUROTOP_MEASURE_FILES_INTERNAL_H

#include "neurotop/core/json.h"
#include "neurotop/measure/params.h"

typedef Status (*FilesFn)(const AnalysisArgs *args, JsonWriter *w, char *msg);

Status analyze_flexibility(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_allegiance(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_entropy(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_moments(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_quality(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_louvain(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_roles(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_degrees(const AnalysisArgs *args, JsonWriter *w, char *msg);
Status analyze_multislice(const AnalysisArgs *args, JsonWriter *w, char *msg);

#endif
