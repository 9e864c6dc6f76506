# Sourced by the run_*.sh scripts that time a bench against PyTorch:
# torch_bench NAME runs $BENCH_DIR/bench_NAME --reps 3 into $OUT (printed),
# then sets TORCH=1 when PyTorch can run the reference (else prints a SKIP
# line); the reference reads its digits through tests/bench/torch_digits.py.
: "${BENCH_DIR:=build/release/bench}"
: "${PYTHON:=/usr/bin/python3}"
DATA=${NEUROTOP_DATA:-data}/mnist10k
export DATA PYTHONPATH="tests/bench${PYTHONPATH:+:$PYTHONPATH}" OMP_NUM_THREADS=1
torch_bench() {
    BENCH="$BENCH_DIR/bench_$1"
    if [ ! -x "$BENCH" ]; then
        echo "run_$1: $BENCH is not built (make bench builds it)"
        exit 1
    fi
    OUT=$("$BENCH" --reps 3) || exit 1
    echo "$OUT"
    TORCH=0
    if "$PYTHON" -c "import torch, numpy" 2>/dev/null; then
        TORCH=1
    else
        echo "SKIP: run_$1: PyTorch not installed for $PYTHON (Debian: python3-torch); no ratio"
    fi
}
