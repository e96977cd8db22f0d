#!/usr/bin/env bash
# Stages the embedded Cassandra's jars for the distribution tarball: copies every jar of the
# classpath file Maven resolved (absolute paths into the local repository) into OUT_DIR, and writes
# OUT_DIR/cassandra-server.classpath with their file names in the same order, which
# boot.EmbeddedCassandra reads when it finds lib/cassandra/ beside the Tugboat jar.
# Usage: cassandra-lib.sh CLASSPATH_FILE OUT_DIR
set -euo pipefail
classpath_file="$1"
out="$2"
rm -rf "$out"
mkdir -p "$out"
names=()
IFS=":" read -r -a jars < <(tr -d "\n" < "$classpath_file") || true  # no newline at the end: read says 1
for jar in "${jars[@]}"; do
  [[ -n "$jar" ]] || continue
  name="$(basename "$jar")"
  # A hard link where the repository and target/ share a file system: no 70 MB copy per build.
  ln "$jar" "$out/$name" 2>/dev/null || cp "$jar" "$out/$name"
  names+=("$name")
done
(IFS=':'; echo "${names[*]}") > "$out/cassandra-server.classpath"
echo "cassandra-lib: ${#names[@]} jars in $out"
