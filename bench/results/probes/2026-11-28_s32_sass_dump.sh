set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
so=$(ls build-carry/libw4a16.so.* | head -1)
cuobjdump -sass "$so" > /tmp/all.sass 2>&1
for f in _ZN5w4a1617sm80_w4a16_kernelILb0ELi4ELi1ELi2ELi1ELi128ELi3ELi4ELi0ELb0EEEvNS_10Sm80ParamsE \
         _ZN5w4a1617sm80_w4a16_kernelILb0ELi4ELi1ELi2ELi2ELi128ELi3ELi4ELi0ELb0EEEvNS_10Sm80ParamsE; do
  awk -v f="$f" '/Function :/ {keep = ($3 == f)} keep' /tmp/all.sass > "$OUT/$f.sass"
done
grep "Function :" /tmp/all.sass | grep sm90_w4a16 | head -200 > "$OUT/sm90_functions.txt"
for f in $(grep -o "_ZN5w4a1617sm90_w4a16_kernelILb0ELi1ELi8E[A-Za-z0-9_]*" /tmp/all.sass | sort -u | head -4); do
  awk -v f="$f" '/Function :/ {keep = ($3 == f)} keep' /tmp/all.sass > "$OUT/$f.sass"
done
ls -la $OUT
