/**
 * README.md of an exported recipe: what is in the folder, the launch lines (one process, one
 * machine with N processes, several machines), what the script writes, and where it differs
 * from the workbench.
 */

/** The three ways to start train.py; train.py's docstring repeats them. */
export const launchLines = [
  'python3 train.py                                  # one process (CPU or one GPU)',
  'torchrun --standalone --nproc_per_node=N train.py # N processes on this machine',
  'torchrun --nnodes=M --nproc_per_node=N --rdzv-backend=c10d \\',
  '    --rdzv-id=RUN --rdzv-endpoint=HOST:29400 train.py   # on each of M machines',
];

export function recipeReadme(summary: string, datasetName: string): string {
  return `# Training recipe: ${summary}

Exported from the Robust Features Workbench. \`train.py\` trains the recipe with PyTorch's
DistributedDataParallel (\`gloo\` on CPUs, \`nccl\` on GPUs); it needs Python 3, NumPy and
PyTorch (≥ 1.13; ONNX export needs nothing more).

## Launch

\`\`\`sh
${launchLines.join('\n')}
\`\`\`

With Debian's PyTorch 1.13 under Python 3.11, add \`--redirects 1 --tee 1\` after \`torchrun\`:
its default \`--redirects 0\` fails there (\`'NoneType' object has no attribute 'get'\`).

Options: \`--out DIR\` (where the run is written; default \`run/\` here), \`--resume\`
(continue from the latest checkpoint there; on several machines \`--out\` must be a folder
they all share), \`--device cpu\` (stay on the CPUs of a GPU machine), \`--threads T\` (torch
threads per process), \`--test-limit N\` (measure the epoch-end test figures on the first N
test images only, for a quick trial; the workbench uses them all).

The recipe's batch size is the global batch: each of P processes takes B/P images of every
batch, so P must divide it.

## Files

| file | what |
| --- | --- |
| \`train.py\` | the recipe in PyTorch |
| \`recipe.json\` | the recipe's numbers (the workbench's TrainingConfig) and the model's input shape and class count |
| \`initial_weights.npz\` | the initial weights the workbench draws for this recipe's seed, in the workbench's layout (conv [K,K,Cin,Cout], dense [In,Out]; train.py transposes them) |
| \`initial_weights.architecture.json\` | each weight's name, shape and its PyTorch layout |
| \`data/\` | dataset "${datasetName}": \`train_images.npy\`, \`train_labels.npy\`, \`test_images.npy\`, \`test_labels.npy\` (NHWC), \`dataset.json\` |

A run writes into \`--out\`: \`checkpoints/epoch-N.pt\` after every epoch, \`metrics.jsonl\` (one
record per line: the step, the epoch and the figures the workbench records at that step), and
at the end \`model.onnx\` (opset 13, input \`images\` NCHW in [0,1], output \`logits\`),
\`model.npz\` (the same weights in the workbench's layout) and \`final_metrics.json\`. With
validation the saved model is the best validation epoch's, as in the workbench.

## The same recipe as in the workbench

The same network, initial weights, validation hold-out, training subset, epoch order, batch
composition and augmentation draws, attack (constraint, ε, steps, step size, the ε warm-up),
loss, learning-rate schedule and optimizer. What differs: random attack starts come from
torch's generators (the same distribution, other draws); with several processes each one
computes BatchNorm statistics on its own share of the batch; and the epoch-end measurements
run on the first process only.
`;
}
