package outdir

// DropLockForTest closes d's lock without removing its folder, as the
// death of the writing process does.
func DropLockForTest(d *Dir) { d.lock.Close(); d.lock = nil }
