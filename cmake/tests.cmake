# Test registration. Every tests/unit/test_*.c is a cmocka program; every
# tests/api/test_*.c is a libcurl program run against a real `yiye serve`
# (see tests/api/harness.c) once per storage backend.
if(NOT TESTDEPS_FOUND)
  message(WARNING "cmocka or libcurl missing: tests are not built")
  return()
endif()

# LeakSanitizer reads tests/lsan.supp (libraries' memory Yiye cannot free,
# each entry explained there); a child process (yiye serve) inherits it.
set(YIYE_LSAN "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")

file(GLOB UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(src IN LISTS UNIT_TESTS)
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE yiyeapp PkgConfig::TESTDEPS)
  add_test(NAME unit.${name} COMMAND ${name})
  set(env "YIYE_SOURCE_DIR=${CMAKE_SOURCE_DIR};${YIYE_LSAN}")
  if(name MATCHES "render")
    # Full allocation stacks: cairo's PDF leak is suppressed by the cairo
    # function it happens under, which the fast unwinder cannot see.
    list(APPEND env "ASAN_OPTIONS=fast_unwind_on_malloc=0")
  endif()
  set_tests_properties(unit.${name} PROPERTIES ENVIRONMENT "${env}" LABELS unit TIMEOUT 300)
endforeach()

file(GLOB API_HARNESS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/api/harness*.c)
file(GLOB API_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/api/test_*.c)
if(API_TESTS)
  add_library(apiharness STATIC ${API_HARNESS})
  target_include_directories(apiharness PUBLIC ${CMAKE_SOURCE_DIR}/tests/api src)
  target_link_libraries(apiharness PUBLIC yiyeapp PkgConfig::TESTDEPS)
endif()

set(YIYE_TEST_BACKENDS "sqlite" CACHE STRING "Storage backends the API tests run against")
# YIYE_PWHASH_FAST=1: argon2id at minimum cost so every server start with
# demo accounts stays quick; tests/api/test_auth.c runs the default cost once
# and tests/unit/test_password.c hashes at the default cost.
foreach(src IN LISTS API_TESTS)
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE apiharness)
  foreach(backend IN LISTS YIYE_TEST_BACKENDS)
    add_test(NAME api.${backend}.${name} COMMAND ${name})
    set_tests_properties(api.${backend}.${name} PROPERTIES
      ENVIRONMENT "YIYE_SOURCE_DIR=${CMAKE_SOURCE_DIR};YIYE_BIN=$<TARGET_FILE:yiye>;YIYE_TEST_BACKEND=${backend};YIYE_PG_STATE=${CMAKE_BINARY_DIR}/pgtest;YIYE_PWHASH_FAST=1;${YIYE_LSAN}"
      LABELS "api;${backend}" TIMEOUT 600)
    if(backend STREQUAL "pg")
      set_tests_properties(api.${backend}.${name} PROPERTIES FIXTURES_REQUIRED pgserver)
    endif()
  endforeach()
endforeach()

if("pg" IN_LIST YIYE_TEST_BACKENDS)
  add_test(NAME pg.start COMMAND ${CMAKE_SOURCE_DIR}/tests/pg/pgctl.sh start ${CMAKE_BINARY_DIR}/pgtest)
  add_test(NAME pg.stop COMMAND ${CMAKE_SOURCE_DIR}/tests/pg/pgctl.sh stop ${CMAKE_BINARY_DIR}/pgtest)
  set_tests_properties(pg.start PROPERTIES FIXTURES_SETUP pgserver)
  set_tests_properties(pg.stop PROPERTIES FIXTURES_CLEANUP pgserver)
endif()

# The command line: --help everywhere, exit codes, environment vs flags.
add_test(NAME cli COMMAND ${CMAKE_SOURCE_DIR}/tests/cli/cli.sh $<TARGET_FILE:yiye>)
# stats-ui: `init --demo` renders license PDFs (its demo history); cairo's
# leak is suppressed by a frame the fast unwinder cannot see.
set_tests_properties(cli PROPERTIES
  ENVIRONMENT "${YIYE_LSAN};ASAN_OPTIONS=fast_unwind_on_malloc=0")

# lic-keys: `yiye keys` and `yiye verify`; keys_helper signs the test inputs.
add_executable(keys_helper ${CMAKE_SOURCE_DIR}/tests/cli/keys_helper.c)
target_link_libraries(keys_helper PRIVATE yiyeapp)
add_test(NAME cli.keys COMMAND ${CMAKE_SOURCE_DIR}/tests/cli/keys.sh $<TARGET_FILE:yiye>
         $<TARGET_FILE:keys_helper>)
set_tests_properties(cli.keys PROPERTIES ENVIRONMENT "${YIYE_LSAN}")

# `yiye draw verify` on genuine, tampered and malformed draw records.
add_test(NAME cli.draw COMMAND ${CMAKE_SOURCE_DIR}/tests/cli/draw_verify.sh $<TARGET_FILE:yiye> ${CMAKE_SOURCE_DIR})
# stats-history: `yiye demo history` and the history of `init --demo`
add_test(NAME cli.demo_history COMMAND ${CMAKE_SOURCE_DIR}/tests/cli/demo_history.sh $<TARGET_FILE:yiye> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli.demo_history PROPERTIES ENVIRONMENT "${YIYE_LSAN}")

# stats-ui: the monthly report PDF (API and `yiye report monthly`) after
# `init --demo`, read back with pdftotext against the overview's figures.
add_test(NAME cli.report COMMAND ${CMAKE_SOURCE_DIR}/tests/cli/report.sh $<TARGET_FILE:yiye>)
set_tests_properties(cli.report PROPERTIES
  ENVIRONMENT "${YIYE_LSAN};ASAN_OPTIONS=fast_unwind_on_malloc=0" TIMEOUT 600)

# Catalog rule tests run through the real binary.
add_test(NAME catalog.check COMMAND yiye catalog check ${CMAKE_SOURCE_DIR}/catalog)
add_test(NAME catalog.test COMMAND yiye catalog test ${CMAKE_SOURCE_DIR}/catalog)
add_test(NAME catalog.broken COMMAND ${CMAKE_SOURCE_DIR}/tests/cli/catalog_broken.sh $<TARGET_FILE:yiye> ${CMAKE_SOURCE_DIR}/catalog)

# One libFuzzer target per parser, each run for a bounded time (clang build).
add_test(NAME fuzz COMMAND ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR})
set_tests_properties(fuzz PROPERTIES LABELS fuzz TIMEOUT 900)

# Browser journeys: real chromium against a real server.
if(EXISTS ${CMAKE_SOURCE_DIR}/tests/browser/run.sh)
  add_test(NAME browser COMMAND ${CMAKE_SOURCE_DIR}/tests/browser/run.sh $<TARGET_FILE:yiye> ${CMAKE_BINARY_DIR})
  # init --demo renders licenses in-process (stats-history's demo history): the
  # render tests' suppressions, with the full stacks cairo's entry needs (stats-ui).
  set_tests_properties(browser PROPERTIES LABELS browser TIMEOUT 900
    ENVIRONMENT "${YIYE_LSAN};ASAN_OPTIONS=fast_unwind_on_malloc=0")
endif()
