/// A raw pointer to an output buffer that several scoped threads write at once. Sound only
/// because the GEMM driver hands each thread a disjoint set of output elements (see `gemm::Split`);
/// every user states which elements it writes.
#[derive(Clone, Copy)]
pub(crate) struct SyncPtr(pub *mut f32);

unsafe impl Send for SyncPtr {}
unsafe impl Sync for SyncPtr {}
