/**
 * train.py of an exported recipe: a docstring saying what it trains and how to launch it, the
 * imports, then one section per concern (python-*.ts). The recipe's numbers are not in the
 * script: it reads them from recipe.json beside it (recipe-document.ts), so the script is the
 * same for every recipe of one architecture.
 */
import type { TrainableArchitecture } from '../../common/model-schemas';
import { architecturePython } from './python-architectures';
import { attacksPython } from './python-attacks';
import { dataPython } from './python-data';
import { evaluationPython } from './python-evaluation';
import { lossesPython } from './python-losses';
import { optimizationPython } from './python-optimization';
import { seededRandomPython } from './python-seeded-random';
import { trainingLoopPython } from './python-training-loop';
import { weightLayoutPython } from './python-weight-layout';
import { launchLines } from './recipe-readme';

const imports = `
import argparse
import json
import math
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data.distributed import DistributedSampler
`;

export function trainScript(architecture: TrainableArchitecture, summary: string): string {
  const docstring = [
    '"""',
    `A training recipe exported from the Robust Features Workbench: ${summary}.`,
    '',
    'The same math as the workbench: its network and weight layout, its initial weights',
    '(initial_weights.npz), its validation hold-out, epoch order and augmentation draws, its',
    'attack, schedule and optimizer; the numbers are in recipe.json. Random starts are drawn',
    "from torch's generators, so runs with random starts are the same recipe, not the same bits.",
    '',
    'Launch (see README.md):',
    ...launchLines.map((line) => `    ${line}`),
    '"""',
  ].join('\n');
  return [
    '#!/usr/bin/env python3',
    docstring,
    imports,
    seededRandomPython,
    architecturePython(architecture),
    weightLayoutPython,
    lossesPython,
    attacksPython,
    dataPython,
    optimizationPython,
    evaluationPython,
    trainingLoopPython,
  ]
    .map((part) => part.trim())
    .join('\n\n\n')
    .concat('\n');
}
