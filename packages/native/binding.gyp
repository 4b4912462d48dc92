# The native addon: the generic kernels plus one static library per x86-64 instruction set, each
# compiled with its own -m flags (the addon picks one at run time by CPUID, so one build runs on
# any x86-64). Elsewhere (arm64...) the AVX units compile to stubs that report themselves absent.
{
  'target_defaults': {
    'cflags_cc': ['-O3', '-std=gnu++17', '-ffp-contract=fast', '-fPIC', '-fno-exceptions', '-Wall', '-Wno-unused-function'],
    'cflags_cc!': ['-fno-rtti'],
    'xcode_settings': {
      'OTHER_CPLUSPLUSFLAGS': ['-O3', '-std=gnu++17', '-ffp-contract=fast'],
    },
  },
  'targets': [
    {
      'target_name': 'tg_kernels_avx512',
      'type': 'static_library',
      'sources': ['csrc/kernels_avx512.cc', 'csrc/winograd_avx512.cc'],
      'conditions': [
        ['target_arch=="x64"', {
          'cflags_cc': ['-mavx512f', '-mavx512vl', '-mavx512bw', '-mavx512dq', '-mavx2', '-mfma', '-mprefer-vector-width=512'],
          'xcode_settings': { 'OTHER_CPLUSPLUSFLAGS': ['-mavx512f', '-mavx512vl', '-mavx512bw', '-mavx512dq', '-mavx2', '-mfma'] },
        }],
      ],
    },
    {
      'target_name': 'tg_kernels_avx2',
      'type': 'static_library',
      'sources': ['csrc/kernels_avx2.cc', 'csrc/winograd_avx2.cc'],
      'conditions': [
        ['target_arch=="x64"', {
          'cflags_cc': ['-mavx2', '-mfma'],
          'xcode_settings': { 'OTHER_CPLUSPLUSFLAGS': ['-mavx2', '-mfma'] },
        }],
      ],
    },
    {
      'target_name': 'tapegrad_native',
      'sources': ['csrc/addon.cc', 'csrc/conv.cc', 'csrc/optim.cc', 'csrc/pool.cc', 'csrc/pool2x2.cc', 'csrc/rows.cc', 'csrc/copy.cc', 'csrc/kernels_generic.cc', 'csrc/index.cc', 'csrc/scan.cc', 'csrc/sort.cc', 'csrc/window.cc', 'csrc/winograd.cc', 'csrc/winograd_generic.cc', 'csrc/attention.cc', 'csrc/lstm.cc'],
      'dependencies': ['tg_kernels_avx512', 'tg_kernels_avx2'],
      # no errno from sqrt (optim.cc's square roots then vectorise; nothing reads errno)
      'cflags_cc': ['-pthread', '-fno-math-errno'],
      'ldflags': ['-pthread'],
    },
  ],
}
