package homework;

// Réseau de neurones: this comment is Latin-1, not UTF-8
final class Latin1 {
}
