package delivery

// constError is an error that can be a constant, so that no package can
// change the package's sentinel errors; compare them with errors.Is.
type constError string

// Error returns the message.
func (e constError) Error() string { return string(e) }
