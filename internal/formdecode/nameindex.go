package formdecode

import "hash/maphash"

// nameIndex maps field names to their position in a Decoder's fields: an
// open-addressing table sized once per body (twice the number of pairs, so
// it never fills), hashing each name once. It replaces a map[string]int,
// whose lookup-then-insert hashed every new name twice.
type nameIndex struct {
	seed  maphash.Seed
	slots []int32 // field index + 1; 0 is empty
	mask  uint64
}

func (x *nameIndex) reset(pairs int) {
	if x.slots == nil {
		x.seed = maphash.MakeSeed()
	}
	size := 64
	for size < 2*pairs {
		size <<= 1
	}
	if cap(x.slots) < size {
		x.slots = make([]int32, size)
	}
	x.slots = x.slots[:size]
	clear(x.slots)
	x.mask = uint64(size - 1)
}

// lookupOrAdd returns the index of the field called name and true, or
// reserves len(fields) for it and returns that and false.
func (x *nameIndex) lookupOrAdd(name string, fields []field) (int, bool) {
	for i := maphash.String(x.seed, name) & x.mask; ; i = (i + 1) & x.mask {
		slot := x.slots[i]
		if slot == 0 {
			x.slots[i] = int32(len(fields) + 1)
			return len(fields), false
		}
		if fields[slot-1].name == name {
			return int(slot - 1), true
		}
	}
}
