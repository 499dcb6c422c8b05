package param

import (
	"errors"
	"fmt"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// MaxItemser is a slice type whose JSON arrays hold at most MaxItems
// elements. Its UnmarshalJSONFrom calls DecodeList; the problem report
// checks its elements one by one and names an array that is too long.
type MaxItemser interface{ MaxItems() int }

// errTooManyItems rejects an array longer than its type allows.
var errTooManyItems = errors.New("too many elements")

// DecodeList decodes a JSON array of at most max elements into list,
// each element with the decoder's options. A longer array is rejected at
// its element max+1, before anything past it is read, so a long array
// costs no more than max elements. An empty array gives an empty list.
func DecodeList[T any](dec *jsontext.Decoder, list *[]T, max int) error {
	if k := dec.PeekKind(); k != '[' {
		return fmt.Errorf("a JSON %s, not an array", kindName(k))
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	out := []T{} // not nil when empty, as encoding/json decodes []
	for dec.PeekKind() != ']' {
		if len(out) == max {
			return errTooManyItems
		}
		out = append(out, *new(T))
		if err := json.UnmarshalDecode(dec, &out[len(out)-1]); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*list = out
	return nil
}
