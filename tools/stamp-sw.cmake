# Writes site/sw.js from web/sw.js with the build's content hash in its cache name, so that a
# new deploy is a new service worker (the browser compares sw.js byte for byte), which caches
# the new files under the new name and deletes the old cache.
#   cmake -DIN=web/sw.js -DOUT=site/sw.js -DSITE=site -P tools/stamp-sw.cmake
set(files index.html strings.js loader.js style.css favicon.svg attnlab.js attnlab.wasm
          attnlab-mt.js attnlab-mt.wasm attnlab-mt.worker.js assets/fonts/ui-font.ttf
          assets/attnlab-demo-gpt2-q8_0.gguf examples/textbook.html)
set(all "")
foreach(f ${files})
  if(EXISTS "${SITE}/${f}")
    file(SHA256 "${SITE}/${f}" h)
    string(APPEND all "${f}:${h}\n")
  endif()
endforeach()
file(READ "${IN}" text)
string(APPEND all "${text}")
string(SHA256 build "${all}")
string(SUBSTRING "${build}" 0 12 build)
string(REPLACE "attnlab-app-dev" "attnlab-app-${build}" text "${text}")
file(WRITE "${OUT}.tmp" "${text}")
file(RENAME "${OUT}.tmp" "${OUT}")
