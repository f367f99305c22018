{
  "targets": [
    {
      "target_name": "rfw_winograd",
      "type": "static_library",
      "sources": ["src/winograd.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra", "-fPIC"],
      "conditions": [
        ["target_arch=='x64'", { "cflags": ["-mavx2", "-mfma"] }]
      ]
    },
    {
      "target_name": "rfw_kernels",
      "dependencies": ["rfw_winograd"],
      "sources": [
        "src/addon.c",
        "src/napi-args.c",
        "src/conv2d.c",
        "src/elementwise.c",
        "src/matmul.c",
        "src/parallel.c",
        "src/pool.c",
        "src/reduce.c",
        "src/scratch.c",
        "src/filter-cache.c"
      ],
      # -Wno-psabi: pool.c's 8-lane vector helpers are static (no ABI to change); their AVX2
      # versions come from target_clones, so this target needs no -mavx2 of its own.
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra", "-Wno-psabi"],
      "libraries": ["-lopenblas", "-lpthread", "-lm"]
    }
  ]
}
