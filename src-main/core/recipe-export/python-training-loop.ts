/**
 * train.py's training loop (engine/training/train-model.ts and train-batch.ts), in
 * DistributedDataParallel: one process per device, `gloo` on CPUs and `nccl` on GPUs, run alone
 * (a process group of one) or under torchrun. Per batch s (0-based over the run):
 *   ramp  = min(1, (s+1)/(W·B)) for an ε warm-up of W epochs of B batches, else 1
 *   rate  = the schedule at s;   attack seed = derive_seed(seed, 'attack', s)
 *   standard:  θ ← step on mean CE(f(x), y)                                 (training mode)
 *   pgd:       x' = PGD(x) (inference mode); θ ← step on mean CE(f(x'), y)
 *   trades:    x' = PGD on the KL; θ ← step on CE(f(x), y) + β·KL(f(x) ‖ f(x'))
 * Metrics as the workbench records them: running means of the batch figures, flushed every 10
 * batches and at each epoch end (averaged over all processes), plus lr and the epoch-end test
 * and validation figures, one JSON line per record in metrics.jsonl. The measurements run on
 * rank 0 while the others wait. A checkpoint after every epoch (--resume continues from the
 * latest); at the end model.onnx and model.npz of the saved model (the best validation epoch,
 * else the last) and final_metrics.json.
 */
export const trainingLoopPython = String.raw`
# ── Training ──────────────────────────────────────────────────────────────────────────────────
METRICS_EVERY = 10


class MetricWindow:
    """Running means of per-batch figures weighted by batch size, summed over all processes."""

    def __init__(self):
        self.sums, self.weight = {}, 0.0

    def add(self, values, count):
        for key, value in values.items():
            self.sums[key] = self.sums.get(key, 0.0) + value * count
        self.weight += count

    def flush(self, device):
        keys = sorted(self.sums)
        totals = torch.tensor([self.weight] + [self.sums[k] for k in keys], dtype=torch.float64, device=device)
        dist.all_reduce(totals)
        means = {key: float(totals[i + 1] / totals[0]) for i, key in enumerate(keys)}
        self.sums, self.weight = {}, 0.0
        return means


def train_batch(model, net, optimizer, x, y, attack, config):
    """One optimizer step of the recipe on this rank's share of the batch; its figures."""
    if attack is None:
        net.train()
        logits = model(x)
        loss = cross_entropy(logits, y).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return {'train.loss': loss.item(), 'train.accuracy': (logits.argmax(1) == y).float().mean().item()}
    if config['adversarialLoss'] == 'trades':
        net.eval()
        x_adv = trades_examples(net, x, attack)
        net.train()
        clean, perturbed = model(x, x_adv)
        clean_loss = cross_entropy(clean, y).mean()
        kl = kl_per_example(clean, perturbed).mean()
        loss = clean_loss + config['tradesBeta'] * kl
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return {'train.loss': clean_loss.item(), 'train.accuracy': (clean.argmax(1) == y).float().mean().item(),
                'train.kl': kl.item(), 'train.tradesLoss': loss.item(),
                'train.adversarialAccuracy': (perturbed.argmax(1) == y).float().mean().item()}
    net.eval()
    with torch.no_grad():
        clean = net(x)
    values = {'train.loss': cross_entropy(clean, y).mean().item(),
              'train.accuracy': (clean.argmax(1) == y).float().mean().item()}
    x_adv = pgd(net, x, y, attack)
    net.train()
    logits = model(x_adv)
    loss = cross_entropy(logits, y).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    values['train.adversarialLoss'] = loss.item()
    values['train.adversarialAccuracy'] = (logits.argmax(1) == y).float().mean().item()
    return values


def end_of_epoch(net, data, subsets, config, epoch, values, best, device, test_limit):
    """Test (and robust test) accuracy, then validation every N epochs and after the last; keeps
    the best checkpoint (strictly higher score: the earlier epoch wins a tie). Rank 0 only."""
    seed = config['seed']
    test_images, test_labels = data['test']
    everything = np.arange(min(len(test_labels), test_limit or len(test_labels)))
    values['test.accuracy'] = accuracy_on(net, test_images, test_labels, everything, device)
    attack = training_attack(config, derive_seed(seed, 'evaluation', epoch))
    if attack is not None:
        values['test.adversarialAccuracy'] = accuracy_on(
            net, test_images, test_labels, everything[:ROBUST_EVALUATION_LIMIT], device, attack)
    validation, finished = config['validation'], epoch + 1
    if validation is not None and (finished % validation['everyEpochs'] == 0 or finished == config['epochs']):
        train_images, train_labels = data['train']
        held_out = subsets['validation']
        clean = accuracy_on(net, train_images, train_labels, held_out, device)
        values['val_accuracy'] = clean
        robust = validation_attack(config, derive_seed(seed, 'validation', epoch))
        if robust is not None:
            values['val_robust_accuracy'] = accuracy_on(net, train_images, train_labels, held_out, device, robust)
        score = values.get('val_robust_accuracy', math.nan) if config['adversarial'] is not None else clean
        if math.isfinite(score) and (best is None or score > best['score']):
            best = {'epoch': finished, 'score': score, 'testAccuracy': values['test.accuracy'],
                    'state': {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}}
        if best is not None:
            values['best_epoch'] = best['epoch']
    return best


class LogitsOnly(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, images):
        return self.net(images)


def save_model(net, state, image_shape, out, stem):
    """stem.onnx (opset 13: 'images' NCHW in [0,1] → 'logits') and stem.npz (workbench layout)."""
    net = net.cpu()
    net.load_state_dict(state)
    net.eval()
    height, width, channels = image_shape
    torch.onnx.export(LogitsOnly(net), torch.zeros(1, channels, height, width), str(out / (stem + '.onnx')),
                      input_names=['images'], output_names=['logits'], opset_version=13,
                      dynamic_axes={'images': {0: 'batch'}, 'logits': {0: 'batch'}})
    save_workbench_weights(state, out / (stem + '.npz'))


def latest_checkpoint(folder):
    found = sorted(folder.glob('epoch-*.pt'), key=lambda path: int(path.stem.split('-')[1]))
    return found[-1] if found else None


def write_metrics(path, records):
    with open(path, 'w') as file:
        for record in records:
            file.write(json.dumps(record) + '\n')


def train(args, recipe, here):
    config, spec = recipe['config'], recipe['model']
    distributed = 'WORLD_SIZE' in os.environ
    use_cuda = args.device == 'cuda' or (args.device == 'auto' and torch.cuda.is_available())
    if distributed:
        dist.init_process_group('nccl' if use_cuda else 'gloo')
    else:
        # One process is a group of one, so the same DistributedDataParallel code runs alone.
        rendezvous = tempfile.NamedTemporaryFile(prefix='rfw-recipe-', delete=False)
        rendezvous.close()
        dist.init_process_group('nccl' if use_cuda else 'gloo', init_method='file://' + rendezvous.name,
                                rank=0, world_size=1)
    rank, world = dist.get_rank(), dist.get_world_size()
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    device = torch.device('cuda', local_rank) if use_cuda else torch.device('cpu')
    if use_cuda:
        torch.cuda.set_device(device)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    if config['batchSize'] % world != 0:
        raise SystemExit('batch size %d does not split over %d processes: run a divisor of it'
                         % (config['batchSize'], world))
    out = Path(args.out).resolve() if args.out else here / 'run'
    checkpoints = out / 'checkpoints'
    if rank == 0:
        checkpoints.mkdir(parents=True, exist_ok=True)
    started = time.time()

    data_folder = here / 'data'
    data = {'train': load_split(data_folder, 'train'), 'test': load_split(data_folder, 'test')}
    image_shape = spec['inputShape']
    seed = config['seed']
    used, held_out = split_training_data(len(data['train'][1]), seed, config['trainLimit'], config['validation'])
    subsets = {'training': used, 'validation': held_out}
    sampler = RecipeSampler(used, config['batchSize'], seed, world, rank)
    batches_per_epoch = sampler.batches_per_epoch
    total_batches = batches_per_epoch * config['epochs']
    augmented = augmentation_enabled(config['augmentation'], image_shape)

    net = Net(image_shape, spec['numClasses'])
    load_workbench_weights(net, here / 'initial_weights.npz')
    net.to(device)
    optimizer = make_optimizer(config['optimizer'], net.parameters(), config['learningRate'])
    first_epoch, step, best, test_accuracy, records = 0, 0, None, math.nan, []
    # Rank 0 chooses the checkpoint; every process reads it (so --out must be on a filesystem
    # that all machines share when resuming a multi-machine run).
    if rank == 0 and not args.resume and latest_checkpoint(checkpoints) is not None:
        raise SystemExit('%s already holds a run: --resume to continue it, or --out a new folder' % out)
    chosen = [latest_checkpoint(checkpoints) if args.resume and rank == 0 else None]
    dist.broadcast_object_list(chosen)
    resume = chosen[0]
    if resume is not None and not resume.exists():
        raise SystemExit('%s is not visible to process %d: resume from a shared --out folder' % (resume, rank))
    if resume is not None:
        saved = torch.load(resume, map_location='cpu')
        if saved['recipe'] != recipe:
            raise SystemExit('%s was made by another recipe: start a new --out folder' % resume)
        net.load_state_dict(saved['model'])
        optimizer.load_state_dict(saved['optimizer'])
        first_epoch, step, best, test_accuracy = saved['epoch'], saved['step'], saved['best'], saved['testAccuracy']
        records = [r for r in saved['records']]
        if rank == 0:
            print('resuming after epoch %d (%s)' % (first_epoch, resume), flush=True)
    # Wrapped after any resumed weights are in place, so DDP's gradient buckets match them.
    model = DDP(net, device_ids=[local_rank] if use_cuda else None)
    if rank == 0:
        write_metrics(out / 'metrics.jsonl', records)

    window = MetricWindow()
    learning_rate = config['learningRate']
    warmup_batches = config['epsilonWarmupEpochs'] * batches_per_epoch
    for epoch in range(first_epoch, config['epochs']):
        sampler.set_epoch(epoch)
        for b, (positions, indices) in enumerate(sampler.batches()):
            images, labels = data['train'][0][indices], data['train'][1][indices]
            if augmented:
                draws = augmentation_draws(min(config['batchSize'], len(used) - b * config['batchSize']), seed, epoch, b)
                images = crop_and_flip(images, [draws[p] for p in positions])
            x, y = to_device(images, labels, device)
            ramp = min(1.0, (step + 1) / warmup_batches) if warmup_batches > 0 else 1.0
            attack = training_attack(config, derive_seed(seed, 'attack', step), ramp)
            learning_rate = learning_rate_at(config['learningRateSchedule'], config['learningRate'],
                                             batches_per_epoch, total_batches, step)
            for group in optimizer.param_groups:
                group['lr'] = learning_rate
            values = train_batch(model, net, optimizer, x, y, attack, config)
            if attack is not None:
                values['train.epsilon'] = attack['epsilon']
            window.add(values, len(indices))
            step += 1
            if step % METRICS_EVERY == 0 and b < batches_per_epoch - 1:
                record = {'step': step, 'epoch': epoch + 1, 'values': dict(window.flush(device), lr=learning_rate)}
                records.append(record)
                if rank == 0:
                    write_metrics(out / 'metrics.jsonl', records)
        values = window.flush(device) if window.weight > 0 else {}
        values['lr'] = learning_rate
        if rank == 0:
            best = end_of_epoch(net, data, subsets, config, epoch, values, best, device, args.test_limit)
            test_accuracy = values['test.accuracy']
            records.append({'step': step, 'epoch': epoch + 1, 'values': values})
            write_metrics(out / 'metrics.jsonl', records)
            torch.save({'recipe': recipe, 'epoch': epoch + 1, 'step': step, 'best': best,
                        'testAccuracy': test_accuracy, 'records': records,
                        'model': {k: v.detach().cpu() for k, v in net.state_dict().items()},
                        'optimizer': optimizer.state_dict()}, checkpoints / ('epoch-%d.pt' % (epoch + 1)))
            print('epoch %d/%d  %s' % (epoch + 1, config['epochs'],
                  '  '.join('%s %.4g' % (k, v) for k, v in sorted(values.items()))), flush=True)
        dist.barrier()

    if rank == 0:
        final_state = {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}
        use_best = config['validation'] is not None and best is not None and best['epoch'] != config['epochs']
        saved_state = best['state'] if use_best else final_state
        summary = {
            'testAccuracy': best['testAccuracy'] if use_best else test_accuracy,
            'testCount': int(min(len(data['test'][1]), args.test_limit or len(data['test'][1]))),
            'bestEpoch': None if best is None or config['validation'] is None else best['epoch'],
            'epochs': config['epochs'], 'steps': step, 'worldSize': world,
            'backend': dist.get_backend(), 'device': str(device),
            'seconds': time.time() - started, 'files': ['model.onnx', 'model.npz'],
        }
        save_model(net, saved_state, image_shape, out, 'model')
        if use_best and config['saveFinalModel']:
            save_model(net, final_state, image_shape, out, 'model-final')
            summary['final'] = {'testAccuracy': test_accuracy}
            summary['files'] += ['model-final.onnx', 'model-final.npz']
        (out / 'final_metrics.json').write_text(json.dumps(summary, indent=2) + '\n')
        print('saved %s' % ', '.join(str(out / name) for name in summary['files']), flush=True)
    dist.barrier()
    dist.destroy_process_group()
    if not distributed:
        os.unlink(rendezvous.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', help='folder for checkpoints, metrics and the model (default: run/ beside train.py)')
    parser.add_argument('--resume', action='store_true', help='continue from the latest checkpoint in --out')
    parser.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto')
    parser.add_argument('--threads', type=int, help='torch threads per process')
    parser.add_argument('--test-limit', type=int,
                        help='measure test accuracy on the first N test images only (quick trials)')
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    train(args, json.loads((here / 'recipe.json').read_text()), here)


if __name__ == '__main__':
    main()
`;
