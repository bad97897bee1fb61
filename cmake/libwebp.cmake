# libwebp's decoder, built from the source scripts/fetch-sources places in build/third_party/
# (never committed, Debian's patches applied). The core then decodes WebP itself: generated
# pictures come back as WebP from some providers, and the game scores their pixels. Only the
# decoder's files are compiled (no encoder, demuxer or animation), single-threaded, and with
# WEBP_REDUCE_SIZE, which leaves out decode-time rescaling: the core's own resize does that.
# Defines the target dg_libwebp and sets DG_HAVE_LIBWEBP when the source is there.

set(DG_LIBWEBP_SOURCE "${CMAKE_SOURCE_DIR}/build/third_party/libwebp"
    CACHE PATH "libwebp source tree (scripts/fetch-sources); empty or missing: the browser decodes WebP")
option(DG_USE_LIBWEBP "Decode WebP with libwebp when its source is present" ON)

set(DG_HAVE_LIBWEBP OFF)
if(DG_USE_LIBWEBP AND EXISTS "${DG_LIBWEBP_SOURCE}/src/dec/vp8l_dec.c")
  set(DG_HAVE_LIBWEBP ON)
  enable_language(C)
  set(src "${DG_LIBWEBP_SOURCE}/src")
  set(decoder_sources
    dec/alpha_dec.c dec/buffer_dec.c dec/frame_dec.c dec/idec_dec.c dec/io_dec.c dec/quant_dec.c
    dec/tree_dec.c dec/vp8_dec.c dec/vp8l_dec.c dec/webp_dec.c
    utils/bit_reader_utils.c utils/color_cache_utils.c utils/filters_utils.c utils/huffman_utils.c
    utils/quant_levels_dec_utils.c utils/random_utils.c utils/rescaler_utils.c utils/thread_utils.c
    utils/utils.c)
  # Each DSP family has a portable C file plus per-CPU variants that compile to nothing elsewhere:
  # the wasm build gets the C code, a native x86-64 build also SSE2.
  foreach(family alpha_processing cpu dec dec_clip_tables filters lossless rescaler upsampling yuv)
    list(APPEND decoder_sources dsp/${family}.c)
    if(NOT EMSCRIPTEN AND EXISTS "${src}/dsp/${family}_sse2.c")
      list(APPEND decoder_sources dsp/${family}_sse2.c)
    endif()
  endforeach()
  list(TRANSFORM decoder_sources PREPEND "${src}/")
  add_library(dg_libwebp STATIC ${decoder_sources})
  # Its files include each other as "src/dec/...", and the public headers as "src/webp/decode.h".
  target_include_directories(dg_libwebp PUBLIC "${DG_LIBWEBP_SOURCE}")
  target_compile_definitions(dg_libwebp PRIVATE WEBP_REDUCE_SIZE WEBP_REDUCE_CSP)
  # Third-party code: its warnings are not ours. A generated picture is decoded once per round, a
  # few milliseconds at 1024 px, so the wasm build is optimised for size.
  target_compile_options(dg_libwebp PRIVATE -w $<IF:$<BOOL:${EMSCRIPTEN}>,-Oz,-O2>)
  message(STATUS "WebP decoding: libwebp from ${DG_LIBWEBP_SOURCE}")
else()
  message(STATUS "WebP decoding: the browser's (run scripts/fetch-sources for libwebp)")
endif()
