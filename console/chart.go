package console

// chart is an inline SVG bar chart of attempts per minute: delivered
// above the axis, failed below.
type chart struct {
	Width, Height, Mid int
	Bars               []bar
	Max                int
	From, To           string
}

type bar struct {
	X, W                   int
	DeliveredY, DeliveredH int
	FailedH                int
	Title                  string
}

// newChart lays points out in a width×height box.
func newChart(points []Point, width, height int) chart {
	c := chart{Width: width, Height: height, Mid: height / 2, Max: 1}
	for _, p := range points {
		c.Max = max(c.Max, p.Delivered, p.Failed)
	}
	if len(points) == 0 {
		return c
	}
	w := max(width/len(points), 1)
	half := height/2 - 1
	for i, p := range points {
		dh := p.Delivered * half / c.Max
		c.Bars = append(c.Bars, bar{
			X: i * w, W: max(w-1, 1),
			DeliveredY: c.Mid - dh, DeliveredH: dh,
			FailedH: p.Failed * half / c.Max,
			Title:   p.Minute.Format("15:04") + " delivered " + itoa(p.Delivered) + ", failed " + itoa(p.Failed),
		})
	}
	c.From, c.To = points[0].Minute.Format("15:04"), points[len(points)-1].Minute.Format("15:04 MST")
	return c
}
