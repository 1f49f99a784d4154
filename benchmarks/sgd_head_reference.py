"""The dual SGD head as it was before the bf16/fused rewrite (calibration chapter, 2026-12-04): the reference that
`bench_calibration.py` times the new `loso_linear_head` against and that the tests compare it with. Not for use."""
import math
import numpy as np, torch
from spectroscopynet.calibration import fold_train_masks, _centred_kernel_parts, _dual_predict, sgd_batches, cosine_lr

def _epoch_chunks(m, epochs, batch_size, seed, chunk):
    "Per epoch: lists of up to `chunk` consecutive batches (row index arrays)"
    batches = sgd_batches(m, epochs, batch_size, seed); per_epoch = math.ceil(m / batch_size)
    for epoch in range(epochs):
        bs = [next(batches)[1] for _ in range(per_epoch)]
        yield epoch, [bs[i:i+chunk] for i in range(0, per_epoch, chunk)]

def loso_linear_head_reference(X:np.ndarray, # (m, N) shot-averaged spectra, one row per standard and location
                     Y:np.ndarray, # (m, k) compositions, wt%
                     groups:np.ndarray, # (m,) standard of each row: the unit left out
                     epochs:int=200, # the paper: 200
                     lr:float=1.0, # the paper: 1.0
                     batch_size:int=64, # the paper: 64
                     decay_after:int=75, # the paper: cosine decay after epoch 75
                     seed:int=0, # seed of the batch order
                     dtype=torch.float32, # float32 (fast) or float64 (exact comparisons)
                     chunk:int=8, # batches whose kernel rows are multiplied in one product (speed only)
                     return_coefs:bool=False, # also return the dual coefficients A (m, F, k)
                    ):
    "Out-of-fold predictions (m, k) of the paper's linear head, all LOSO folds trained at once in the dual"
    X, Y = np.asarray(X, np.float64), np.asarray(Y, np.float64)
    train = fold_train_masks(groups); F, m = train.shape; k = Y.shape[1]
    K, v, c, s2 = _centred_kernel_parts(X, train, dtype)
    Yt, T = torch.tensor(Y, dtype=dtype), torch.as_tensor(train.T).to(dtype)  # T: (m, F); a copy: Y may be read-only
    A = torch.zeros(m, F, k, dtype=dtype); S = torch.zeros(F, k, dtype=dtype); R = torch.zeros(F, k, dtype=dtype)
    done = torch.zeros(chunk * batch_size, F * k, dtype=dtype)  # this chunk's updates so far
    chunks = _epoch_chunks(m, epochs, batch_size, seed, chunk)
    for epoch, epoch_chunks in chunks:
        eta = cosine_lr(epoch, lr, decay_after, epochs)
        for batches in epoch_chunks:
            rows = torch.as_tensor(np.concatenate(batches)); P0 = K[rows] @ A.view(m, F * k)  # A at the chunk's start
            off = 0
            for B in map(torch.as_tensor, batches):
                P = P0[off:off+len(B)] + K[B[:, None], rows[None, :off]] @ done[:off]  # + earlier steps of the chunk
                pred = (P.view(len(B), F, k) - v[B][:, :, None] * S - R + c[:, None] * S) / s2[:, None] + S
                mask = T[B]; dA = (-eta) * (pred - Yt[B][:, None, :]) * (mask / mask.sum(0).clamp(min=1))[:, :, None]
                A[B] += dA; S += dA.sum(0); R += torch.einsum('bf,bfk->fk', v[B], dA)
                done[off:off+len(B)] = dA.view(len(B), -1); off += len(B)
    S, R = A.sum(0), torch.einsum('mf,mfk->fk', v, A)  # exact, free of the incremental round-off
    pred = np.zeros((m, k))
    for f in range(F):
        G, one = torch.as_tensor(np.flatnonzero(~train[f])), slice(f, f + 1)
        pred[G.numpy()] = _dual_predict(K, v[:, one], c[one], s2[one], A[:, one], S[one], R[one], G)[:, 0].double().numpy()
    return (pred, A) if return_coefs else pred
