#include "neurotop/run/replay.h"

#include <math.h>

#include "neurotop/data/registry.h"

Status replay_open_data(const Replay *r, Dataset **out, char *msg)
{
    *out = NULL;
    const ReplayInfo *info = replay_info(r);
    if (!info->data[0])
        return status_fail(msg, ST_ENOTFOUND, "run.json names no data set");
    const ModelKind *kind = model_kind_find(info->model);
    DataParam params[MODEL_MAX_KPARAMS];
    size_t n_params = 0;
    for (size_t i = 0; kind && i < info->n_kparams && i < kind->n_kparams; i++) {
        if (isnan(info->kparams[i]))
            continue; /* absent from run.json: the registry says which one is missing */
        model_kparam_key(&kind->kparams[i], params[n_params].key, sizeof params[n_params].key);
        params[n_params++].value = info->kparams[i];
    }
    return data_open(info->data, params, n_params, info->seed, out, msg);
}
