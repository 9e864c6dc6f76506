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
