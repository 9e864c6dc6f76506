#include <criterion/criterion.h>

#include "neurotop/core/json.h"

Test(json, object_with_arrays_and_special_reals)
{
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    json_object_begin(&w);
    json_kv_real(&w, "Q", 0.41978961209730437);
    json_key(&w, "partition");
    int p[] = {1, 1, 2};
    json_int_array(&w, p, 3);
    json_kv_real(&w, "bad", 0.0 / 0.0);
    json_kv_string(&w, "s", "a\"b");
    json_object_end(&w);
    cr_assert_str_eq(strbuf_cstr(&b),
                     "{\"Q\":0.41978961209730437,\"partition\":[1,1,2],\"bad\":null,\"s\":\"a\\\"b\"}");
    strbuf_done(&b);
}

Test(json, matrices_as_arrays_of_rows)
{
    StrBuf b;
    strbuf_init(&b);
    JsonWriter w;
    json_init(&w, &b);
    const double v[6] = {1, 2, 3, 4, 5, 6};
    const int k[4] = {1, 2, 3, 4};
    json_object_begin(&w);
    json_key(&w, "m");
    json_real_matrix(&w, v, 2, 3);
    json_key(&w, "k");
    json_int_matrix(&w, k, 2, 2);
    json_object_end(&w);
    cr_assert_str_eq(strbuf_cstr(&b), "{\"m\":[[1,2,3],[4,5,6]],\"k\":[[1,2],[3,4]]}");
    strbuf_done(&b);
}
