/// The CNI pod network is the sync loop's network engine as it is.
extension CNIPodNetwork: PodNetworkEngine {}
