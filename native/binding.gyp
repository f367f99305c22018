{
  "targets": [
    {
      "target_name": "rfw_kernels",
      "sources": [
        "src/addon.c",
        "src/napi-args.c",
        "src/conv2d.c",
        "src/elementwise.c",
        "src/matmul.c",
        "src/parallel.c",
        "src/pool.c",
        "src/reduce.c",
        "src/scratch.c"
      ],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-lopenblas", "-lpthread", "-lm"]
    }
  ]
}
