# libjpeg-turbo, built from the source scripts/fetch-sources places in build/third_party/ (never
# committed), for the tests alone: the reference the core's own JPEG encoder and decoder
# (src/core/jpeg_encoder.cpp, jpeg_decoder.cpp) are checked against. The app never links it. Only
# the files the tests reach are compiled, without SIMD and without arithmetic coding, which keeps
# CI quick.
# Defines the target dg_libjpeg_turbo and sets DG_HAVE_LIBJPEG_TURBO when the source is there.

set(DG_LIBJPEG_TURBO_SOURCE "${CMAKE_SOURCE_DIR}/build/third_party/libjpeg-turbo"
    CACHE PATH "libjpeg-turbo source tree (scripts/fetch-sources); empty or missing: no reference")
option(DG_USE_LIBJPEG_TURBO "Build libjpeg-turbo as the tests' JPEG reference when its source is present" ON)

set(DG_HAVE_LIBJPEG_TURBO OFF)
if(DG_USE_LIBJPEG_TURBO AND EXISTS "${DG_LIBJPEG_TURBO_SOURCE}/jdapimin.c")
  set(DG_HAVE_LIBJPEG_TURBO ON)
  enable_language(C)
  set(src "${DG_LIBJPEG_TURBO_SOURCE}")
  set(generated "${CMAKE_BINARY_DIR}/libjpeg_turbo_config")
  file(STRINGS "${src}/CMakeLists.txt" version_line REGEX "^set\\(VERSION [0-9.]+\\)")
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" version "${version_line}")
  string(REPLACE "." ";" parts "${version}")
  list(GET parts 0 major)
  list(GET parts 1 minor)
  list(GET parts 2 patch)
  math(EXPR version_number "${major} * 1000000 + ${minor} * 1000 + ${patch}")
  math(EXPR size_t_bytes "${CMAKE_SIZEOF_VOID_P}")

  # The three headers its own CMake would generate, written directly: its configure checks
  # misread size_t under Emscripten, and we need none of its other targets.
  file(WRITE "${generated}/jconfig.h.new"
    "#define JPEG_LIB_VERSION 62\n"
    "#define LIBJPEG_TURBO_VERSION ${version}\n"
    "#define LIBJPEG_TURBO_VERSION_NUMBER ${version_number}\n"
    "#define MEM_SRCDST_SUPPORTED 1\n"
    "#define BITS_IN_JSAMPLE 8\n")
  file(WRITE "${generated}/jconfigint.h.new"
    "#define BUILD \"describe-and-generate\"\n"
    "#undef inline\n"
    "#define INLINE __inline__ __attribute__((always_inline))\n"
    "#define THREAD_LOCAL __thread\n"
    "#define PACKAGE_NAME \"libjpeg-turbo\"\n"
    "#define VERSION \"${version}\"\n"
    "#define SIZEOF_SIZE_T ${size_t_bytes}\n"
    "#define HAVE_BUILTIN_CTZL\n"
    "#define FALLTHROUGH __attribute__((fallthrough));\n")
  file(WRITE "${generated}/jversion.h.new"
    "#define JVERSION \"6b  27-Mar-1998\"\n"
    "#define JCOPYRIGHT \"Copyright (C) The libjpeg-turbo Project, the Independent JPEG Group and others\"\n"
    "#define JCOPYRIGHT_SHORT JCOPYRIGHT\n")
  foreach(header jconfig.h jconfigint.h jversion.h)
    configure_file("${generated}/${header}.new" "${generated}/${header}" COPYONLY)
  endforeach()

  # Only what the tests reach: the baseline and progressive decoder with DCT-domain scaling, the
  # accurate integer DCTs and fancy upsampling (libjpeg's defaults), and the encoder, progressive
  # and Huffman-optimised coding included. Colour quantisation, merged ("sloppy") upsampling, the
  # fast and float DCTs, input smoothing and block smoothing are switched off in jmorecfg.h below
  # (jquant1.c, jquant2.c, jdmerge.c, jidctflt.c, jidctfst.c, jfdctflt.c, jfdctfst.c are not
  # compiled). jerror.c (the standard error manager and its message table) is left out: the tests
  # install their own (tests/libjpeg_reference.hpp).
  set(decoder_sources
    jcomapi.c jdapimin.c jdapistd.c jdatasrc.c jdcoefct.c jdcolor.c jddctmgr.c jdhuff.c jdinput.c
    jdmainct.c jdmarker.c jdmaster.c jdphuff.c jdpostct.c jdsample.c jidctint.c jidctred.c
    jutils.c jmemmgr.c jmemnobs.c jsimd_none.c)
  set(encoder_sources
    jcapimin.c jcapistd.c jccoefct.c jccolor.c jcdctmgr.c jchuff.c jcinit.c jcmainct.c jcmarker.c
    jcmaster.c jcparam.c jcphuff.c jcprepct.c jcsample.c jdatadst.c jfdctint.c)
  set(unused_features
    QUANT_1PASS_SUPPORTED QUANT_2PASS_SUPPORTED UPSAMPLE_MERGING_SUPPORTED DCT_IFAST_SUPPORTED
    DCT_FLOAT_SUPPORTED INPUT_SMOOTHING_SUPPORTED
    BLOCK_SMOOTHING_SUPPORTED)

  # jmorecfg.h defines those switches unconditionally and every file includes it with quotes,
  # which finds the copy next to the including file first. So the sources are compiled from a
  # copy in the build tree whose jmorecfg.h has them #undef'd (the fetched tree stays pristine).
  set(copy "${CMAKE_BINARY_DIR}/libjpeg_turbo_src")
  file(GLOB headers RELATIVE "${src}" "${src}/*.h")
  list(REMOVE_ITEM headers jconfig.h jconfigint.h jversion.h jmorecfg.h)  # generated ones win
  foreach(file ${decoder_sources} ${encoder_sources} ${headers})
    configure_file("${src}/${file}" "${copy}/${file}" COPYONLY)
  endforeach()
  # jdcolor.c, jccolor.c and friends #include their per-format bodies (jdcolext.c, ...).
  file(GLOB included_bodies RELATIVE "${src}" "${src}/j*ext.c" "${src}/jdcol565.c" "${src}/jdmrg565.c"
       "${src}/jstdhuff.c")
  foreach(file ${included_bodies})
    configure_file("${src}/${file}" "${copy}/${file}" COPYONLY)
  endforeach()
  file(READ "${src}/jmorecfg.h" morecfg)
  foreach(feature ${unused_features})
    string(REGEX REPLACE "#define[ \t]+${feature}" "#undef  ${feature}" patched "${morecfg}")
    if(patched STREQUAL morecfg)
      message(FATAL_ERROR "libjpeg-turbo: ${feature} not found in jmorecfg.h")
    endif()
    set(morecfg "${patched}")
  endforeach()
  file(WRITE "${generated}/jmorecfg.h.new" "${morecfg}")
  configure_file("${generated}/jmorecfg.h.new" "${copy}/jmorecfg.h" COPYONLY)

  function(dg_patch_libjpeg_copy file pattern replacement)
    file(READ "${src}/${file}" text)
    string(REGEX REPLACE "${pattern}" "${replacement}" patched "${text}")
    if(patched STREQUAL text)
      message(FATAL_ERROR "libjpeg-turbo: the expected code is not in ${file}")
    endif()
    file(WRITE "${generated}/${file}.new" "${patched}")
    configure_file("${generated}/${file}.new" "${copy}/${file}" COPYONLY)
  endfunction()
  # At reduced scale libjpeg upsamples 4:2:0 chroma inside the inverse DCT where it can, through
  # 10x10, 12x12 and 14x14 transforms. The core upsamples chroma with libjpeg's fancy upsampler at
  # every scale, so the reference does too from 5/8 up, where the tests compare them closely:
  # chroma's DCT scale stops at 8/8, and the 9x9..16x16 transforms are no longer selected.
  dg_patch_libjpeg_copy(jdmaster.c "while \\(ssize < DCTSIZE &&" "while (ssize * 2 <= DCTSIZE &&")
  dg_patch_libjpeg_copy(jddctmgr.c "case 9:.*case 16:[^#]*#endif" "#endif")

  set(sources ${decoder_sources} ${encoder_sources})
  list(TRANSFORM sources PREPEND "${copy}/")
  add_library(dg_libjpeg_turbo STATIC ${sources})
  # The generated headers first, so the machine's own jpeglib.h (libjpeg-dev) is never mixed in.
  target_include_directories(dg_libjpeg_turbo BEFORE PUBLIC "${generated}" "${copy}")
  target_compile_options(dg_libjpeg_turbo PRIVATE -w -O2)  # third-party code: its warnings are not ours
  # Count bits with clz instead of two copies of a 64 KB lookup table; no environment to read.
  target_compile_definitions(dg_libjpeg_turbo PRIVATE USE_CLZ_INTRINSIC NO_GETENV NO_PUTENV)
  message(STATUS "JPEG reference for the tests: libjpeg-turbo ${version} from ${src}")
else()
  message(STATUS "JPEG reference for the tests: none (run scripts/fetch-sources)")
endif()
