/**
 * train.py's data: the exported .npy arrays, the workbench's seeded validation hold-out and
 * training subset (engine/training/data-split.ts), its seeded epoch order, cut across processes
 * by a DistributedSampler, and its crop-and-flip augmentation (engine/training/augmentation.ts)
 * with the same draws per image.
 *
 * Batches across P processes: global batch b of epoch e is order_e[b·B, (b+1)·B), as in the
 * workbench; process r takes its positions r, r+P, r+2P, … (a short last batch is padded by
 * wrapping around, as DistributedSampler pads), so P processes of B/P images each see exactly the
 * workbench's batch and DistributedDataParallel's gradient average is its mean-loss gradient.
 */
export const dataPython = String.raw`
# ── Data: the exported arrays, the workbench's split, order and augmentation ──────────────────
def load_split(folder, split):
    """Images as float32 NHWC in [0,1] (uint8 scaled by 1/255 in double, then rounded to float32,
    as the workbench's ImageSource does) and labels as int64."""
    images = np.load(folder / ('%s_images.npy' % split))
    if images.dtype == np.uint8:
        images = (images.astype(np.float64) * (1 / 255)).astype(np.float32)
    return np.ascontiguousarray(images, dtype=np.float32), np.load(folder / ('%s_labels.npy' % split)).astype(np.int64)


def validation_count(size, available):
    count = int(size) if size >= 1 else max(1, int(math.floor(size * available + 0.5)))
    if count >= available:
        raise SystemExit('a validation set of %d images leaves none of the %d training images' % (count, available))
    return count


def split_training_data(available, seed, train_limit, validation):
    """(training indices, validation indices) exactly as engine/training/data-split.ts."""
    held = np.zeros(available, dtype=bool)
    held_out = np.zeros(0, dtype=np.int64)
    if validation is not None:
        count = validation_count(validation['size'], available)
        held_out = seeded_permutation(range(available), derive_seed(seed, 'validation'))[:count]
        held[held_out] = True
    subset = seeded_permutation(range(available), derive_seed(seed, 'subset'))
    subset = subset[~held[subset]]
    if train_limit is not None:
        subset = subset[:train_limit]
    return subset, held_out


class RecipeSampler(DistributedSampler):
    """A DistributedSampler over the training subset that keeps the workbench's epoch order
    (permutation of the subset seeded by (seed, 'epoch', e)) and batch composition."""

    def __init__(self, subset, batch_size, seed, world, rank):
        super().__init__(subset, num_replicas=world, rank=rank, shuffle=False, seed=seed)
        self.subset, self.batch_size, self.recipe_seed = subset, batch_size, seed
        self.batches_per_epoch = -(-len(subset) // batch_size)

    def batches(self):
        """Per step of the epoch: (positions in the global batch, dataset indices) of this rank."""
        order = seeded_permutation(self.subset, derive_seed(self.recipe_seed, 'epoch', self.epoch))
        for b in range(self.batches_per_epoch):
            batch = order[b * self.batch_size:(b + 1) * self.batch_size]
            share = -(-len(batch) // self.num_replicas)
            positions = np.arange(share * self.num_replicas) % len(batch)
            mine = positions[self.rank::self.num_replicas]
            yield mine, batch[mine]

    def __iter__(self):
        return iter([int(i) for _, indices in self.batches() for i in indices])

    def __len__(self):
        return sum(len(indices) for _, indices in self.batches())


CROP_PADDING = 4


def augmentation_draws(count, seed, epoch, batch):
    """(dy, dx, flip) per image of a global batch, from mulberry32(seed, 'augment', e, b)."""
    random = mulberry32(derive_seed(seed, 'augment', epoch, batch))
    span = 2 * CROP_PADDING + 1
    draws = []
    for _ in range(count):
        dy = int(random() * span) - CROP_PADDING
        dx = int(random() * span) - CROP_PADDING
        draws.append((dy, dx, random() < 0.5))
    return draws


def crop_and_flip(images, draws):
    """out[y][x] = in[y + dy][x' + dx], x' = W − 1 − x when flipped, 0 outside the image."""
    n, h, w, _ = images.shape
    padded = np.pad(images, ((0, 0), (CROP_PADDING, CROP_PADDING), (CROP_PADDING, CROP_PADDING), (0, 0)))
    out = np.empty_like(images)
    for i, (dy, dx, flip) in enumerate(draws):
        window = padded[i, CROP_PADDING + dy:CROP_PADDING + dy + h, CROP_PADDING + dx:CROP_PADDING + dx + w]
        out[i] = window[:, ::-1] if flip else window
    return out


def augmentation_enabled(choice, image_shape):
    """'auto': on for 32×32×3 images (CIFAR-like) only."""
    if choice != 'auto':
        return choice == 'on'
    return list(image_shape) == [32, 32, 3]


def to_device(images, labels, device):
    """NHWC float32 numpy → NCHW tensor on the device, and int64 labels."""
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).contiguous().to(device)
    return x, torch.from_numpy(np.ascontiguousarray(labels)).to(device)
`;
