public enum BN254Placeholder {}
