//! A debugging allocator (feature `heap-check`): every block gets 64 guard bytes on each side and
//! is recorded in a table, so `acme_heap_check` can say whether anything wrote outside its block
//! or freed a block twice. Never part of a release build.

use std::alloc::{GlobalAlloc, Layout, System};

const GUARD: usize = 64;
const SLOTS: usize = 1 << 20;
const QUARANTINE: usize = 1 << 16;
const FILL: u8 = 0xA5;
const FREED: usize = 1 << 31;

struct Table {
    ptr: [usize; SLOTS],
    size: [usize; SLOTS],
}

static mut TABLE: Table = Table { ptr: [0; SLOTS], size: [0; SLOTS] };
static mut BAD: usize = 0;
static mut BAD_SIZE: usize = 0;
static mut BAD_KIND: i32 = 0;

pub struct Checked;

unsafe fn mark(kind: i32, p: usize, s: usize) {
    if BAD_KIND == 0 {
        BAD_KIND = kind;
        BAD = p;
        BAD_SIZE = s;
    }
}

unsafe fn guards_ok(p: usize, s: usize) -> bool {
    let before = std::slice::from_raw_parts((p - GUARD) as *const u8, GUARD);
    let after = std::slice::from_raw_parts((p + s) as *const u8, GUARD);
    before.iter().all(|&b| b == FILL) && after.iter().all(|&b| b == FILL)
}

unsafe impl GlobalAlloc for Checked {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let align = l.align().max(16);
        if align > GUARD {
            return System.alloc(l);
        }
        let outer = match Layout::from_size_align(l.size() + 2 * GUARD, GUARD) {
            Ok(o) => o,
            Err(_) => return std::ptr::null_mut(),
        };
        let base = System.alloc(outer);
        if base.is_null() {
            return base;
        }
        std::ptr::write_bytes(base, FILL, GUARD);
        std::ptr::write_bytes(base.add(GUARD + l.size()), FILL, GUARD);
        let p = base as usize + GUARD;
        let mut i = (p / 16) % SLOTS;
        loop {
            if TABLE.ptr[i] == 0 || TABLE.ptr[i] == 1 {
                TABLE.ptr[i] = p;
                TABLE.size[i] = l.size();
                break;
            }
            i = (i + 1) % SLOTS;
        }
        p as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, l: Layout) {
        if l.align().max(16) > GUARD {
            return System.dealloc(ptr, l);
        }
        let p = ptr as usize;
        let mut i = (p / 16) % SLOTS;
        let mut n = 0;
        while TABLE.ptr[i] != p {
            if TABLE.ptr[i] == 0 || n == SLOTS {
                mark(2, p, l.size()); // never allocated
                core::arch::wasm32::unreachable();
            }
            i = (i + 1) % SLOTS;
            n += 1;
        }
        if TABLE.size[i] & !FREED != l.size() {
            mark(3, p, l.size()); // freed with another size than allocated
        }
        if !guards_ok(p, TABLE.size[i] & !FREED) {
            mark(1, p, TABLE.size[i]);
        }
        if TABLE.size[i] & FREED != 0 {
            mark(5, p, l.size()); // freed twice
            core::arch::wasm32::unreachable();
        }
        if BAD_KIND != 0 {
            core::arch::wasm32::unreachable();
        }
        if TABLE.size[i] <= QUARANTINE {
            std::ptr::write_bytes(ptr, 0xDD, TABLE.size[i]);
            TABLE.size[i] |= FREED;
            return;
        }
        TABLE.ptr[i] = 1;
        let outer = Layout::from_size_align_unchecked(TABLE.size[i] + 2 * GUARD, GUARD);
        System.dealloc((p - GUARD) as *mut u8, outer);
    }
}

#[global_allocator]
static CHECKED: Checked = Checked;

/// 0 when every live block's guards are intact and nothing was freed wrongly; else 1 (a guard
/// overwritten), 2 (a double or foreign free), 3 (a size mismatch); see `acme_heap_bad_*`.
#[no_mangle]
pub extern "C" fn acme_heap_check(full: i32) -> i32 {
    unsafe {
        if full == 0 {
            return BAD_KIND;
        }
        for i in 0..SLOTS {
            let p = TABLE.ptr[i];
            let size = TABLE.size[i] & !FREED;
            if p > 1 && !guards_ok(p, size) {
                mark(1, p, TABLE.size[i]);
            }
            if p > 1 && TABLE.size[i] & FREED != 0 {
                let body = std::slice::from_raw_parts(p as *const u8, size);
                if !body.iter().all(|&b| b == 0xDD) {
                    mark(4, p, size); // written after free
                }
            }
        }
        BAD_KIND
    }
}

#[no_mangle]
pub extern "C" fn acme_heap_bad_ptr() -> usize {
    unsafe { BAD }
}

#[no_mangle]
pub extern "C" fn acme_heap_bad_size() -> usize {
    unsafe { BAD_SIZE }
}
