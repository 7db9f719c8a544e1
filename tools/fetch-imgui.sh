#!/usr/bin/env bash
# Puts Dear ImGui 1.86's sources (imgui*.cpp, backends/) into DEST, from Debian's `imgui`
# *source* package: the binary libimgui-dev has no .cpp files, and the web build needs them.
# The machine's own Debian entries are reused as deb-src in a private apt state folder, so
# the system's apt configuration is never touched (recipe: ../shared/TOOLCHAIN.md).
#
#   tools/fetch-imgui.sh DEST      # DEST/imgui.cpp exists afterwards; a second call is a no-op
set -euo pipefail
DEST=${1:?usage: fetch-imgui.sh DEST}
if [ -f "$DEST/imgui.cpp" ] && [ -f "$DEST/backends/imgui_impl_glfw.cpp" ]; then exit 0; fi

T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir -p "$T/parts" "$T/lists/partial"
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
  sed 's/^Types: deb$/Types: deb-src/' "$f" > "$T/parts/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do   # one-line style entries
  [ -f "$f" ] && grep -E '^deb ' "$f" | sed 's/^deb /deb-src /' >> "$T/parts/from-lists.list" || true
done
A=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$T/parts" -o "Dir::State::Lists=$T/lists")
echo "[imgui] fetching Debian source package 'imgui' ..."
[ "$(id -u)" -eq 0 ] && A+=(-o APT::Sandbox::User=root)
apt-get "${A[@]}" update -qq
(cd "$T" && apt-get "${A[@]}" source --download-only imgui >/dev/null)
orig=$(ls "$T"/imgui_*.orig.tar.* | head -n 1)
mkdir -p "$DEST"
tar xf "$orig" -C "$T"
src=$(find "$T" -maxdepth 2 -name imgui.cpp -printf '%h\n' | head -n 1)
cp -r "$src"/. "$DEST"/
echo "[imgui] $(grep -m1 'define IMGUI_VERSION ' "$DEST/imgui.h") -> $DEST"
