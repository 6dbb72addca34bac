// Command stochastic reproduces the experiment of Tang et al. (arXiv
// 2510.11354) with package paper, as "adamgap reproduce stochastic" does.
package main

import (
	"context"
	"fmt"

	"github.com/adamgap/adamgap/paper"
)

func main() {
	rep, err := paper.Stochastic(context.Background(), paper.DefaultStochastic(), nil)
	fmt.Println(rep.Table(), "error:", err)
}
