# Writes the bad input files of tests/cli/t_bad_input.sh into the folder
# $BAD_DIR (sourced; needs only printf, gzip, head, mkfifo and ln). Each
# file is named for what is wrong with it.
d=${BAD_DIR:?BAD_DIR must name a folder}
[ -d "$d" ] || exit 1
esc=$(printf '\033')
p() { printf "$2" > "$d/$1"; }

# CSV matrices
p ok.csv '0,1,1,0\n1,0,1,0\n1,1,0,1\n0,0,1,0\n'
: > "$d/empty.csv"
p ragged.csv '0,1,1\n1,0\n1,1,0\n'
p nan.csv '0,1\nNaN,0\n'
p inf.csv '0,1\n1,Inf\n'
p token.csv '0,1\n1,0\n0,abc\n'
p rect.csv '0,1,1\n1,0,1\n'
p bom_bad.csv '\357\273\2770,1\n1,x\n'
printf '0,1\n1,\033]0;pwned\007\033[2J\n' > "$d/escape.csv"
p garbage.csv '0,1\n1,\377\376\375\n'
printf '0,1\n\000\000\n' > "$d/binary.csv"
mkdir -p "$d/folder.csv"
mkfifo "$d/fifo.csv"
ln -sf loop1.csv "$d/loop2.csv"; ln -sf loop2.csv "$d/loop1.csv"
p onerow.csv '1,2,3\n'

# .npy matrices (version 1 header: magic, 1 0, little-endian length)
npy() { # name header-text data-printf
    h=$2; n=$(printf '%s' "$h" | wc -c)
    { printf '\223NUMPY\001\000'; printf "\\$(printf '%03o' $((n % 256)))\\$(printf '%03o' $((n / 256)))"
      printf '%s' "$h"; printf "$3"; } > "$d/$1"
}
p badmagic.npy 'NOTNUMPY-at-all'
npy cutheader.npy "{'descr': '<f8', 'fortran_order': False, 'shape': (2," '' 
head -c 40 "$d/cutheader.npy" > "$d/truncated.npy"
npy cutdescr.npy "{'fortran_order': False, 'shape': (2,), 'descr': '" ''
npy complex.npy "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }" '\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
npy threed.npy "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 1), }" '\1'
npy terabytes.npy "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }" '\0\0\0\0\0\0\0\0'
npy nan.npy "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }" '\0\0\0\0\0\0\370\177'
{ printf '\223NUMPY\011\000'; printf '\020\000'; printf '{}              '; } > "$d/version9.npy"

# partitions
: > "$d/empty_part.txt"
p frac_part.txt '1\n2\n1.5\n2\n'
p short_part.txt '1\n1\n2\n'
p nan_part.txt '1\nnan\n1\n2\n'
printf '1\n2\n\033[31mred\n2\n' > "$d/escape_part.txt"
p frac_multi.csv '1,1\n2,2.5\n1,1\n2,2\n'
p ragged_multi.csv '1,1\n2\n1,1\n2,2\n'

# IDX
printf '\000\000\010\003\000\000\000\001\000\000\000\002\000\000\000\002abcd' > "$d/images.idx"
printf '\000\000\010\001\000\000\000\001\003' > "$d/labels.idx"
printf '\001\002\003\004\000\000\000\001\000\000\000\002\000\000\000\002abcd' > "$d/magic.idx"
printf '\000\000\010\003\000\000\000\001\000\000\000\002\000\000\000\002ab' > "$d/truncated.idx"
printf '\000\000\010\003\377\377\377\377\377\377\377\377\000\000\000\002ab' > "$d/terabytes.idx"
: > "$d/empty.idx"
printf '\000\000\010\002\000\000\000\001\000\000\000\004abcd' > "$d/twodims.idx"
printf '\000\000\010\001\000\000\000\002\003\004' > "$d/labels2.idx"
{ printf '\000\000\010\003\000\000\003\350\000\000\003\350\000\000\003\350'; head -c 4000000 /dev/zero; } | gzip -9 > "$d/bomb.idx.gz"
{ printf '\037\213\010\000\000\000\000\000'; printf 'this is not deflate data at all'; } > "$d/corrupt.idx.gz"
mkdir -p "$d/idxdir"
cp "$d/magic.idx" "$d/idxdir/train-images-idx3-ubyte"
cp "$d/labels.idx" "$d/idxdir/train-labels-idx1-ubyte"
cp "$d/images.idx" "$d/idxdir/t10k-images-idx3-ubyte"
cp "$d/labels.idx" "$d/idxdir/t10k-labels-idx1-ubyte"

# themes
p colour.theme '# ok\ncolor title red default\ncolor border pruple default\n'
p role.theme 'color nosuchrole red default\n'
printf 'color ti\033]2;x\007tle red default\n' > "$d/escape.theme"
printf '\377\376\000\001binary' > "$d/binary.theme"
mkdir -p "$d/folder.theme"

# lessons
p badepoch.lesson 'epoch: 1\nText.\n\nepoch: twelve\nMore.\n'
p directive.lesson 'epoch: 1\npane: fields\nText.\n'
p beyond.lesson 'epoch: 1\nText.\n\nepoch: 999999\nLate.\n'
p zoom.lesson 'epoch: 1\nzoom: nosuchpane\nText.\n'
: > "$d/empty.lesson"
p utf8.lesson 'epoch: 1\nCaf\351 au lait.\n'
printf 'epoch: 1\nA\000B\n' > "$d/nul.lesson"
mkfifo "$d/fifo.lesson"
printf 'epoch: 1\ncommand: \033[2Jlouvain\n' > "$d/escape.lesson"

# sweep files
p syntax.sweep 'epochs = 2\nlr [0.1, 0.3]\n'
p badvalue.sweep 'epochs = 2\nlr = [0.1, -3]\n'
p reserved.sweep 'epochs = 2\nheadless = 1\n'
p huge.sweep 'a = 0..999\nb = 0..999\nc = 0..99\n'
printf 'epochs = 2\nname = x\033]2;owned\007y\n' > "$d/escape.sweep"
printf 'epochs = 2\nlr = \377\376\n' > "$d/garbage.sweep"
printf 'epochs = 2\000\n' > "$d/nul.sweep"
: > "$d/empty.sweep"
mkdir -p "$d/folder.sweep"
mkfifo "$d/fifo.sweep"

# .npz archives (from the fuzz corpus: W0 float32 2x3, labels int8)
cp tests/fuzz/corpus_npz/stored.npz "$d/ok.npz"
head -c 300 "$d/ok.npz" > "$d/truncated.npz"
cp "$d/ok.npz" "$d/flipped.npz"
printf '\125' | dd of="$d/flipped.npz" bs=1 seek=150 conv=notrunc 2>/dev/null
printf 'PK\005\006 not really a zip archive' > "$d/notzip.npz"
