# consume.cmake -- the install test (CTest `install_and_link`): installs the build into a scratch
# prefix, configures and builds examples/ against it as an outside project would (find_package), and
# runs its `linear` program, which multiplies on the GPU if there is one, else on the CPU backend,
# and fails unless the product matches its reference.
#   -DBUILD_DIR=<this build> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -DGENERATOR=<generator>
#   -DCUDA_ROOT=<toolkit>
file(REMOVE_RECURSE "${WORK_DIR}")
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
foreach(f include/w4a16/w4a16.h include/w4a16/w4a16.hpp bin/w4a16)
  if(NOT EXISTS "${WORK_DIR}/prefix/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
# lib/ or lib64/ (GNUInstallDirs picks by platform)
file(GLOB config "${WORK_DIR}/prefix/lib*/cmake/w4a16/w4a16Config.cmake")
if(NOT config)
  message(FATAL_ERROR "not installed: <libdir>/cmake/w4a16/w4a16Config.cmake")
endif()
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/examples" -B "${WORK_DIR}/build" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix" "-DCUDAToolkit_ROOT=${CUDA_ROOT}")
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/linear" 5 264 384)
