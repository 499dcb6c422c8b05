package signer

// Storage is reusable room for the Fields of one notification: the fields
// and one backing array for all their values, as the builders of package
// lcn and ipn fill them. Fields built into a Storage share its room, so
// Reset it, and build into it again, only once none of them is used any
// more. The zero Storage is ready to use; a nil *Storage allocates anew.
type Storage struct {
	fields Fields
	values []string
}

// Fields returns empty Fields with room for n.
func (s *Storage) Fields(n int) Fields {
	if s == nil {
		return make(Fields, 0, n)
	}
	if cap(s.fields) < n {
		s.fields = make(Fields, 0, n)
	}
	return s.fields[:0]
}

// Values returns an empty value slice with room for n.
func (s *Storage) Values(n int) []string {
	if s == nil {
		return make([]string, 0, n)
	}
	if cap(s.values) < n {
		s.values = make([]string, 0, n)
	}
	return s.values[:0]
}

// Reset drops every name and value the room refers to, keeping the room.
func (s *Storage) Reset() {
	clear(s.fields[:cap(s.fields)])
	clear(s.values[:cap(s.values)])
}
