package optim

// SetLR implements LRSetter.
func (o *GD) SetLR(lr float64) { o.LR = lr }

// SetLR implements LRSetter.
func (o *SignGD) SetLR(lr float64) { o.LR = lr }

// SetLR implements LRSetter.
func (o *Adam) SetLR(lr float64) { o.LR = lr }

// SetLR implements LRSetter.
func (o *AdamPaper) SetLR(lr float64) { o.LR = lr }

var (
	_ LRSetter = (*GD)(nil)
	_ LRSetter = (*SignGD)(nil)
	_ LRSetter = (*Adam)(nil)
	_ LRSetter = (*AdamPaper)(nil)
)
