// Package convnet is a small convolutional network for grey-scale images,
// written out by hand so that Adam and SGD can be compared on real data (the
// paper's Figure 1 shows first-layer filters of AlexNet on CIFAR-10):
//
//	image (S×S) → k×k convolution, F filters, stride 1, no padding, + bias
//	            → ReLU → P×P max pooling, stride P → linear layer → C logits
//
// There is no batch normalisation. The loss of a mini-batch B is the mean
// cross-entropy plus coupled weight decay on every parameter (PyTorch's
// weight_decay=λ, the paper's regulariser):
//
//	L(w) = (1/|B|) Σ_{i∈B} CE(logits(xᵢ), yᵢ) + (λ/2)‖w‖²,  ∇L ∋ +λw.
//
// Net fixes the shape and the layout of the flat weight vector; Workspace
// computes the loss and gradient of a mini-batch (im2col, then the
// convolution as a tiled matrix product with gonum's vector kernels, and
// gonum's matrix product for the linear layer); Trainer runs mini-batch
// training of one optimiser; Compare trains several optimisers from the
// same initial weights with the same mini-batch order, for several seeds;
// HighFreqShare and TotalVariation say how noisy a filter is. MNIST loads
// the embedded digits of package mnist as network input.
package convnet
